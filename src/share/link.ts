/**
 * Share links: document → compact JSON → DEFLATE (fflate) → base64url, carried in the URL hash so
 * it never reaches a server. Decoding is bounded: the link's length, then the inflated size
 * (streamed, stopping past `MAX_SHARE_BYTES`), then the one way in (`admitDocument`), the same
 * rules as a file. A link holding a whole document instead of the share format is admitted too.
 */
import { deflateSync, Inflate } from 'fflate';
import { admitDocument, admitDocumentInSteps, DOCUMENT_FORMAT, MAX_DOCUMENT_BYTES, type AdmitResult, type GraphDocument, type NodeRegistry } from '../graph';
import { COMPACT_VERSION, compactDocument, CompactSchema, expandDocument } from './compact';

/** The hash prefix of a share link: `https://host/#share=<payload>`. */
export const SHARE_HASH_PREFIX = '#share=';
/** Largest decompressed payload accepted: no more than a file may hold. */
export const MAX_SHARE_BYTES = MAX_DOCUMENT_BYTES;
/**
 * Longest payload accepted before decompressing: Chromium's limit on a URL (2 MB). A 10,000-node,
 * 20,000-edge graph with everyday params takes about 135,000 characters.
 */
export const MAX_SHARE_PAYLOAD_CHARS = 2_000_000;
/** Compressed bytes inflated per step; DEFLATE expands at most ~1032×, so one step stays small. */
const INFLATE_CHUNK = 256;

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  const padded = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  try {
    const binary = atob(padded);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}

/** Inflates raw DEFLATE data, giving up once the output passes `limit` bytes. */
export function boundedInflate(data: Uint8Array, limit = MAX_SHARE_BYTES): { ok: true; bytes: Uint8Array } | { ok: false; message: string } {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let over = false;
  let ended = false;
  const inflater = new Inflate((chunk, final) => {
    total += chunk.length;
    if (total > limit) over = true;
    else chunks.push(chunk);
    if (final) ended = true;
  });
  try {
    for (let i = 0; i < data.length && !over; i += INFLATE_CHUNK) {
      const end = Math.min(i + INFLATE_CHUNK, data.length);
      inflater.push(data.subarray(i, end), end === data.length);
    }
  } catch (err) {
    return { ok: false, message: `the link is damaged (${err instanceof Error ? err.message : 'bad data'})` };
  }
  if (over) return { ok: false, message: `the shared graph is larger than ${MAX_SHARE_BYTES / 1e6} MB once unpacked` };
  if (!ended) return { ok: false, message: 'the link is cut short' };
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.length;
  }
  return { ok: true, bytes };
}

/** The hash payload for a document. */
export function encodeSharePayload(doc: GraphDocument, registry: NodeRegistry): string {
  const json = JSON.stringify(compactDocument(doc, registry));
  return toBase64Url(deflateSync(new TextEncoder().encode(json), { level: 9 }));
}

/** A full share URL: `base` (the app's address without hash) plus the payload. */
export function shareUrl(doc: GraphDocument, registry: NodeRegistry, base: string): string {
  return `${base.split('#')[0]}${SHARE_HASH_PREFIX}${encodeSharePayload(doc, registry)}`;
}

export type ShareDecodeResult = AdmitResult;

/** Said of any JSON in a link that is neither the share format nor a graph document. */
export const NOT_SHARE_FORMAT = 'this link does not hold a Tensorloom graph in share format';

function fail(message: string): ShareDecodeResult {
  return { ok: false, problems: [{ path: '', message }] };
}

/** A payload unpacked as far as a document value, or why not (the part before admission). */
type Unpacked = { ok: true; value: unknown } | { ok: false; result: ShareDecodeResult };

/**
 * The link's payload as a JSON value, step by step: each `yield` falls after a piece that takes
 * tens of milliseconds on a 10,000-node graph (inflating it, then parsing and expanding it).
 */
function* unpacking(payload: string, registry: NodeRegistry): Generator<void, Unpacked> {
  const refuse = (message: string) => ({ ok: false as const, result: fail(message) });
  if (payload.length > MAX_SHARE_PAYLOAD_CHARS) return refuse('the link is too long to be a Tensorloom share link');
  const bytes = fromBase64Url(payload);
  if (!bytes || bytes.length === 0) return refuse('the link is damaged (not base64url)');
  const inflated = boundedInflate(bytes);
  if (!inflated.ok) return refuse(inflated.message);
  yield;
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(inflated.bytes));
  } catch {
    return refuse('the link is damaged (not JSON)');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return refuse(NOT_SHARE_FORMAT);
  const record = value as Record<string, unknown>;
  // A whole document pasted into a link: the same rules admit it as if it were a file.
  if (record.format === DOCUMENT_FORMAT) return { ok: true, value: record };
  if (typeof record.c === 'number' && record.c > COMPACT_VERSION) {
    return refuse('this link was made by a newer Tensorloom; open it there or update this one');
  }
  yield;
  const compact = CompactSchema.safeParse(record);
  // The compact fields (c, v, n, t, N, E) mean nothing to a user: one sentence covers them all.
  if (!compact.success) return refuse(NOT_SHARE_FORMAT);
  return { ok: true, value: expandDocument(compact.data, registry) };
}

/** Decodes a payload into a checked document; never throws. */
export function decodeSharePayload(payload: string, registry: NodeRegistry): ShareDecodeResult {
  const steps = unpacking(payload, registry);
  let step = steps.next();
  while (!step.done) step = steps.next();
  const unpacked = step.value;
  return unpacked.ok ? admitDocument(unpacked.value, registry) : unpacked.result;
}

/** A new task: timers run after the browser has painted and handled input. */
const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** `decodeSharePayload` for the page: unpacking and admission in steps, handing the main thread back between them. */
export async function decodeSharePayloadInSteps(payload: string, registry: NodeRegistry): Promise<ShareDecodeResult> {
  const steps = unpacking(payload, registry);
  let step = steps.next();
  while (!step.done) {
    await nextTask();
    step = steps.next();
  }
  const unpacked = step.value;
  return unpacked.ok ? admitDocumentInSteps(unpacked.value, registry) : unpacked.result;
}

/** The payload in a location hash, if it is a share link. */
export function sharePayloadFromHash(hash: string): string | null {
  return hash.startsWith(SHARE_HASH_PREFIX) ? hash.slice(SHARE_HASH_PREFIX.length) : null;
}
