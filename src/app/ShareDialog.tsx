import { useMemo, useState } from 'react';
import type { GraphDocument, NodeRegistry } from '../graph';
import { shareUrl } from '../share';
import { Modal } from './Modal';

/** Shows the share link for the current document; the whole graph lives in the link's hash. */
export function ShareDialog({ doc, registry, onClose }: { doc: GraphDocument; registry: NodeRegistry; onClose(): void }) {
  const url = useMemo(() => shareUrl(doc, registry, `${location.origin}${location.pathname}`), [doc, registry]);
  const [copied, setCopied] = useState(false);
  return (
    <Modal
      title="Share link"
      onClose={onClose}
      testId="share-dialog"
      wide
      footer={
        <>
          <span className="muted small">{url.length.toLocaleString('en-US')} characters</span>
          <button
            type="button"
            className="btn primary"
            onClick={() => {
              void navigator.clipboard?.writeText(url).then(
                () => setCopied(true),
                () => setCopied(false),
              );
            }}
          >
            {copied ? 'Copied' : 'Copy link'}
          </button>
        </>
      }
    >
      <p>Anyone with this link sees a read-only preview of the graph and can open it as their own project. The graph is in the link itself; nothing is uploaded.</p>
      <textarea className="share-url" readOnly value={url} rows={4} data-testid="share-url" onFocus={(e) => e.currentTarget.select()} />
    </Modal>
  );
}
