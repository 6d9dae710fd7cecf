/** Share-link helpers for specs: links to any content, as a crafted link would carry it. */
import { deflateSync } from 'fflate';
import { registry } from '../../nodes/registry';
import type { GraphDocument } from '../../src/graph/document';
import { encodeSharePayload, toBase64Url } from '../../src/share/link';

/** The app's own link for `doc` (share format), whatever the document holds. */
export function shareLinkFor(doc: GraphDocument): string {
  return `/#share=${encodeSharePayload(doc, registry)}`;
}

/** A link whose payload is `value` as JSON, not the share format (a raw document, say). */
export function rawShareLink(value: unknown): string {
  return `/#share=${toBase64Url(deflateSync(new TextEncoder().encode(JSON.stringify(value))))}`;
}
