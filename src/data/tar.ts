/**
 * A small reader for ustar/GNU tar archives, optionally gzipped, so the official
 * `cifar-10-binary.tar.gz` can be unpacked in the browser without a server. Pure; entries are
 * views into the unpacked bytes, nothing is copied.
 */
import { gunzipSync } from 'fflate';

const BLOCK = 512;

/** One regular file in an archive. */
export interface TarEntry {
  /** Full path inside the archive, e.g. `cifar-10-batches-bin/data_batch_1.bin`. */
  name: string;
  size: number;
  data: Uint8Array;
}

/** The archive is cut short, corrupt, or not a tar/gzip file at all. */
export class ArchiveError extends Error {
  override readonly name = 'ArchiveError';
}

/** True when the bytes start with the gzip magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Inflates gzip bytes, turning fflate's terse errors into ones a person can act on. */
export function gunzip(bytes: Uint8Array, source = 'archive'): Uint8Array {
  if (!isGzip(bytes)) throw new ArchiveError(`${source} is not gzip-compressed (no gzip header)`);
  try {
    return gunzipSync(bytes);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new ArchiveError(`${source} could not be decompressed (${why}); the download is probably truncated or corrupt`);
  }
}

function text(bytes: Uint8Array, start: number, length: number): string {
  let end = start;
  while (end < start + length && bytes[end] !== 0) end++;
  return new TextDecoder().decode(bytes.subarray(start, end));
}

function octal(bytes: Uint8Array, start: number, length: number, what: string): number {
  // GNU tar writes sizes over 8 GiB in base-256 with the high bit set; CIFAR files never need it.
  if ((bytes[start]! & 0x80) !== 0) {
    let v = 0;
    for (let i = start + 1; i < start + length; i++) v = v * 256 + bytes[i]!;
    return v;
  }
  const s = text(bytes, start, length).trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw new ArchiveError(`tar header has a bad ${what} field "${s}"; this is not a tar archive`);
  return parseInt(s, 8);
}

function checksumOk(header: Uint8Array): boolean {
  const stored = octal(header, 148, 8, 'checksum');
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i]!;
  return sum === stored;
}

function isZeroBlock(block: Uint8Array): boolean {
  for (const b of block) if (b !== 0) return false;
  return true;
}

/** Reads a `path=` record from a pax extended header, the only pax key this reader needs. */
function paxPath(data: Uint8Array): string | undefined {
  const body = new TextDecoder().decode(data);
  for (const line of body.split('\n')) {
    const m = /^\d+ path=(.*)$/.exec(line);
    if (m) return m[1];
  }
  return undefined;
}

/**
 * Lists the regular files of a tar archive (gzipped or not). Throws {@link ArchiveError} when a
 * header checksum fails or the bytes end before an entry or the end-of-archive marker.
 */
export function readTar(input: Uint8Array, source = 'archive'): TarEntry[] {
  const bytes = isGzip(input) ? gunzip(input, source) : input;
  const entries: TarEntry[] = [];
  let offset = 0;
  let longName: string | undefined;
  while (true) {
    if (offset + BLOCK > bytes.length) {
      throw new ArchiveError(
        `${source} ends after ${offset.toLocaleString('en-US')} bytes without an end-of-archive marker; it is truncated`,
      );
    }
    const header = bytes.subarray(offset, offset + BLOCK);
    if (isZeroBlock(header)) break;
    if (!checksumOk(header)) {
      throw new ArchiveError(`${source}: tar header at byte ${offset.toLocaleString('en-US')} fails its checksum; the archive is corrupt or not a tar file`);
    }
    const size = octal(header, 124, 12, 'size');
    const type = String.fromCharCode(header[156]!);
    const dataStart = offset + BLOCK;
    if (dataStart + size > bytes.length) {
      const name = longName ?? text(header, 0, 100);
      throw new ArchiveError(
        `${source} is truncated: ${name} needs ${size.toLocaleString('en-US')} bytes but only ${(bytes.length - dataStart).toLocaleString('en-US')} remain`,
      );
    }
    const data = bytes.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'L') {
      longName = text(data, 0, data.length);
      continue;
    }
    if (type === 'x') {
      longName = paxPath(data) ?? longName;
      continue;
    }
    const prefix = text(header, 345, 155);
    const base = text(header, 0, 100);
    const name = longName ?? (prefix ? `${prefix}/${base}` : base);
    longName = undefined;
    if (type === '0' || type === '\0' || type === '7') entries.push({ name, size, data });
  }
  return entries;
}

function octalField(value: number, length: number): string {
  return value.toString(8).padStart(length - 1, '0') + '\0';
}

/**
 * Writes a ustar archive of regular files; the inverse of {@link readTar}, used to build test
 * fixtures. Names must fit ustar's 100 bytes.
 */
export function writeTar(files: readonly { name: string; data: Uint8Array }[]): Uint8Array {
  const size = files.reduce((n, f) => n + BLOCK + Math.ceil(f.data.length / BLOCK) * BLOCK, 0) + 2 * BLOCK;
  const out = new Uint8Array(size);
  const enc = new TextEncoder();
  let offset = 0;
  for (const f of files) {
    const name = enc.encode(f.name);
    if (name.length > 100) throw new Error(`tar name too long for ustar: ${f.name}`);
    const h = out.subarray(offset, offset + BLOCK);
    h.set(name, 0);
    h.set(enc.encode(octalField(0o644, 8)), 100);
    h.set(enc.encode(octalField(0, 8)), 108);
    h.set(enc.encode(octalField(0, 8)), 116);
    h.set(enc.encode(octalField(f.data.length, 12)), 124);
    h.set(enc.encode(octalField(0, 12)), 136);
    h[156] = '0'.charCodeAt(0);
    h.set(enc.encode('ustar\0' + '00'), 257);
    h.fill(0x20, 148, 156);
    let sum = 0;
    for (const b of h) sum += b;
    h.set(enc.encode(sum.toString(8).padStart(6, '0') + '\0 '), 148);
    out.set(f.data, offset + BLOCK);
    offset += BLOCK + Math.ceil(f.data.length / BLOCK) * BLOCK;
  }
  return out;
}
