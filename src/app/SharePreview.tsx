/**
 * A shared graph, read-only: the canvas and summary of the document in the link, and one way in,
 * "Open as new project", which creates a new project and never touches an existing one.
 */
import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, useState } from 'react';
import { registry } from '../../nodes/registry';
import { emptyDocument, type GraphDocument } from '../graph';
import { Canvas } from '../editor/Canvas';
import { EditorContext } from '../editor/context';
import { SummaryPanel } from '../editor/SummaryPanel';
import { EditorStore } from '../editor/store';
import { decodeSharePayloadInSteps, type ShareDecodeResult } from '../share';
import { ProblemsDialog } from './ProblemsDialog';
import { ToastList, useToasts } from './toasts';

export interface SharePreviewProps {
  payload: string;
  onOpenAsProject(doc: GraphDocument): Promise<void>;
  onLeave(): void;
}

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

interface Opened {
  payload: string;
  result: ShareDecodeResult;
  /** The read-only editor over the document; its checks run in tasks of their own before the first render. */
  store: EditorStore | null;
}

/** The link's document once decoded; decoding runs in steps so a large graph never freezes the page. */
function useOpened(payload: string): Opened | null {
  const [opened, setOpened] = useState<Opened | null>(null);
  useEffect(() => {
    let live = true;
    void (async () => {
      const result = await decodeSharePayloadInSteps(payload, registry);
      await nextTask();
      if (!live) return;
      let store: EditorStore | null = null;
      if (result.ok) {
        // Validation, compile and the cards' views each in a task of their own, then the first render.
        store = new EditorStore(registry, emptyDocument(result.doc.name), { readOnly: true });
        store.load(result.doc, await store.prepare(result.doc, nextTask));
      }
      if (live) setOpened({ payload, result, store });
    })();
    return () => {
      live = false;
    };
  }, [payload]);
  return opened?.payload === payload ? opened : null;
}

export function SharePreview({ payload, onOpenAsProject, onLeave }: SharePreviewProps) {
  const opened = useOpened(payload);
  const decoded = opened?.result ?? null;
  const store = opened?.store ?? null;
  const { toasts, notify, dismiss } = useToasts();
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    for (const w of (decoded?.ok && decoded.warnings) || []) notify(w.message);
  }, [decoded, notify]);

  if (!decoded) {
    return (
      <div className="app preview" data-testid="share-opening">
        <p className="muted">Opening the shared graph…</p>
      </div>
    );
  }
  if (!decoded.ok || !store) {
    return <ProblemsDialog title="This share link cannot be opened" problems={decoded.ok ? [] : decoded.problems} onClose={onLeave} />;
  }
  const doc = decoded.doc;
  return (
    <EditorContext.Provider value={store}>
      <ReactFlowProvider>
        <div className="app preview" data-testid="share-preview">
          <header className="topbar">
            <span className="brand">
              <img src="/favicon.svg" alt="" />
              Tensorloom
            </span>
            <span className="project-name" data-testid="preview-name" title={doc.name}>
              {doc.name}
            </span>
            <span className="pill">Read-only preview</span>
            <span className="spacer" />
            <button type="button" className="btn" onClick={onLeave}>
              My projects
            </button>
            <button
              type="button"
              className="btn primary"
              disabled={busy}
              data-testid="open-as-project"
              onClick={() => {
                setBusy(true);
                onOpenAsProject(doc).catch((err: unknown) => {
                  setBusy(false);
                  notify(`Could not create the project: ${err instanceof Error ? err.message : String(err)}`, 'error');
                });
              }}
            >
              Open as new project
            </button>
          </header>
          <div className="workspace preview-workspace">
            <main className="main-area">
              <Canvas notify={notify} />
            </main>
            <aside className="side">
              {doc.description && (
                <section className="panel">
                  <h2 className="panel-title">About</h2>
                  <p className="description">{doc.description}</p>
                </section>
              )}
              <SummaryPanel />
            </aside>
          </div>
          <ToastList toasts={toasts} dismiss={dismiss} />
        </div>
      </ReactFlowProvider>
    </EditorContext.Provider>
  );
}
