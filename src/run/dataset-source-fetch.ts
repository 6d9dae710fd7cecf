/**
 * Downloads and file reads with byte progress, for the dataset loader's progress bar. Streams the
 * body so a 170 MB archive reports as it arrives instead of going silent until the end.
 */
import { DatasetSourceError } from './dataset-source';

/** Bytes so far and the total when the server or file says it (else undefined). */
export type ByteProgress = (loaded: number, total: number | undefined) => void;

async function drain(stream: ReadableStream<Uint8Array>, total: number | undefined, onProgress: ByteProgress): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    loaded += value.length;
    onProgress(loaded, total);
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(loaded);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/**
 * Fetches `url` into memory. Refusals are explained: a bad address, an HTTP error, a body cut short,
 * or a blocked cross-origin request (the usual reason a dataset host cannot be used directly).
 */
export async function fetchBytes(url: string, onProgress: ByteProgress, signal?: AbortSignal): Promise<Uint8Array> {
  let parsed: URL;
  try {
    parsed = new URL(url, typeof location !== 'undefined' ? location.href : undefined);
  } catch {
    throw new DatasetSourceError(`“${url}” is not a valid URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new DatasetSourceError(`only http(s) URLs can be fetched, not ${parsed.protocol}`);
  }
  let response: Response;
  try {
    response = await fetch(parsed, signal ? { signal } : {});
  } catch (e) {
    if (signal?.aborted) throw new DatasetSourceError('the download was cancelled');
    const why = e instanceof Error ? e.message : String(e);
    throw new DatasetSourceError(
      `could not download ${parsed.host}${parsed.pathname} (${why}). If the server does not allow cross-origin downloads, download the file yourself and pick it with “Choose files”.`,
    );
  }
  if (!response.ok) throw new DatasetSourceError(`the server answered ${response.status} ${response.statusText} for ${parsed.href}`);
  const header = response.headers.get('content-length');
  // A gzip-encoded transfer reports the compressed length; treat it as unknown rather than overshoot.
  const encoded = (response.headers.get('content-encoding') ?? 'identity') !== 'identity';
  const total = header && !encoded ? Number(header) : undefined;
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  let bytes: Uint8Array;
  try {
    bytes = await drain(response.body, total, onProgress);
  } catch (e) {
    if (signal?.aborted) throw new DatasetSourceError('the download was cancelled');
    throw new DatasetSourceError(`the download of ${parsed.href} broke off: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (total !== undefined && bytes.length < total) {
    throw new DatasetSourceError(`the download of ${parsed.href} ended after ${bytes.length.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} bytes`);
  }
  return bytes;
}

/** Reads a picked or dropped file, reporting progress. */
export async function readFileBytes(file: Blob & { name?: string }, onProgress: ByteProgress): Promise<Uint8Array> {
  return drain(file.stream() as ReadableStream<Uint8Array>, file.size, onProgress);
}
