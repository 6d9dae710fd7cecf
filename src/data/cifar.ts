/**
 * CIFAR-10 "binary version" records: byte 0 is the label (0–9), then 1,024 red, 1,024 green and
 * 1,024 blue bytes, each channel 32×32 row-major. Pure; runs in the page, the worker and Node.
 */
import type { ImageSet } from '../protocol/image-set';

export type { ImageSet };

export const CIFAR_SIDE = 32;
export const CIFAR_CHANNELS = 3;
export const CIFAR_PIXELS = CIFAR_SIDE * CIFAR_SIDE;
/** Bytes per image: the label byte and three planes. */
export const CIFAR_RECORD_BYTES = 1 + CIFAR_CHANNELS * CIFAR_PIXELS;
export const CIFAR_CLASSES = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
] as const;

/** Why bytes are not CIFAR-10 records. */
export class CifarFormatError extends Error {
  override readonly name = 'CifarFormatError';
}

/**
 * Parses concatenated records into HWC images. Throws {@link CifarFormatError} when the length is
 * not a whole number of records or a label is outside 0–9. `source` names the file in messages.
 */
export function parseCifarBatch(bytes: Uint8Array, source = 'CIFAR-10 data'): ImageSet {
  if (bytes.length === 0 || bytes.length % CIFAR_RECORD_BYTES !== 0) {
    throw new CifarFormatError(
      `${source} is ${bytes.length.toLocaleString('en-US')} bytes, not a multiple of the ${CIFAR_RECORD_BYTES.toLocaleString('en-US')}-byte CIFAR-10 record` +
        (bytes.length === 0 ? '' : ` (${(bytes.length % CIFAR_RECORD_BYTES).toLocaleString('en-US')} bytes left over); is the file truncated?`),
    );
  }
  const count = bytes.length / CIFAR_RECORD_BYTES;
  const labels = new Uint8Array(count);
  const images = new Uint8Array(count * CIFAR_CHANNELS * CIFAR_PIXELS);
  for (let i = 0; i < count; i++) {
    const base = i * CIFAR_RECORD_BYTES;
    const label = bytes[base]!;
    if (label > 9) {
      throw new CifarFormatError(`${source}: record ${i} has label ${label}, CIFAR-10 labels are 0–9`);
    }
    labels[i] = label;
    const out = i * CIFAR_CHANNELS * CIFAR_PIXELS;
    const r = base + 1;
    const g = r + CIFAR_PIXELS;
    const b = g + CIFAR_PIXELS;
    for (let p = 0; p < CIFAR_PIXELS; p++) {
      const o = out + p * 3;
      images[o] = bytes[r + p]!;
      images[o + 1] = bytes[g + p]!;
      images[o + 2] = bytes[b + p]!;
    }
  }
  return { images, labels, count, shape: [CIFAR_SIDE, CIFAR_SIDE, CIFAR_CHANNELS] };
}

/** Joins image sets of equal image shape, in order. */
export function concatImageSets(sets: readonly ImageSet[]): ImageSet {
  if (sets.length === 0) throw new Error('no image sets to join');
  const shape = sets[0]!.shape;
  for (const s of sets) {
    if (s.shape.some((d, i) => d !== shape[i])) {
      throw new Error(`cannot join images of shape [${s.shape.join(',')}] with [${shape.join(',')}]`);
    }
  }
  const count = sets.reduce((n, s) => n + s.count, 0);
  const images = new Uint8Array(sets.reduce((n, s) => n + s.images.length, 0));
  const labels = new Uint8Array(count);
  let io = 0;
  let lo = 0;
  for (const s of sets) {
    images.set(s.images, io);
    labels.set(s.labels, lo);
    io += s.images.length;
    lo += s.count;
  }
  return { images, labels, count, shape: [...shape] };
}

/** Images per label, `counts[c]` for class c of `numClasses`. */
export function classCounts(labels: Uint8Array, numClasses = CIFAR_CLASSES.length): number[] {
  const counts = new Array<number>(numClasses).fill(0);
  for (const l of labels) counts[l] = (counts[l] ?? 0) + 1;
  return counts;
}

/** Encodes HWC images back into CIFAR-10 records; used to write fixtures and caches. */
export function encodeCifarRecords(set: ImageSet): Uint8Array {
  const out = new Uint8Array(set.count * CIFAR_RECORD_BYTES);
  for (let i = 0; i < set.count; i++) {
    const base = i * CIFAR_RECORD_BYTES;
    out[base] = set.labels[i]!;
    const src = i * CIFAR_CHANNELS * CIFAR_PIXELS;
    for (let p = 0; p < CIFAR_PIXELS; p++) {
      out[base + 1 + p] = set.images[src + p * 3]!;
      out[base + 1 + CIFAR_PIXELS + p] = set.images[src + p * 3 + 1]!;
      out[base + 1 + 2 * CIFAR_PIXELS + p] = set.images[src + p * 3 + 2]!;
    }
  }
  return out;
}
