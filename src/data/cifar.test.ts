import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CIFAR_CLASSES,
  CIFAR_RECORD_BYTES,
  CifarFormatError,
  classCounts,
  concatImageSets,
  encodeCifarRecords,
  parseCifarBatch,
} from './cifar';

/** One record whose pixel (y, x) has R = label*10 + y, G = x, B = 255 - y - x. */
function record(label: number): Uint8Array {
  const r = new Uint8Array(CIFAR_RECORD_BYTES);
  r[0] = label;
  for (let y = 0; y < 32; y++) {
    for (let x = 0; x < 32; x++) {
      const p = y * 32 + x;
      r[1 + p] = label * 10 + y;
      r[1 + 1024 + p] = x;
      r[1 + 2048 + p] = 255 - y - x;
    }
  }
  return r;
}

function records(labels: number[]): Uint8Array {
  const out = new Uint8Array(labels.length * CIFAR_RECORD_BYTES);
  labels.forEach((l, i) => out.set(record(l), i * CIFAR_RECORD_BYTES));
  return out;
}

describe('parseCifarBatch', () => {
  it('reads labels and reorders planar RGB into HWC', () => {
    const set = parseCifarBatch(records([3, 7, 0]));
    expect(set.count).toBe(3);
    expect([...set.labels]).toEqual([3, 7, 0]);
    expect(set.shape).toEqual([32, 32, 3]);
    expect(set.images.length).toBe(3 * 32 * 32 * 3);
    // image 1 (label 7), pixel y=5, x=9
    const o = 1 * 3072 + (5 * 32 + 9) * 3;
    expect([set.images[o], set.images[o + 1], set.images[o + 2]]).toEqual([75, 9, 255 - 14]);
    // last pixel of image 2 (label 0)
    const last = 3 * 3072 - 3;
    expect([set.images[last], set.images[last + 1], set.images[last + 2]]).toEqual([31, 31, 255 - 62]);
  });

  it('round-trips through encodeCifarRecords', () => {
    const bytes = records([9, 1, 4, 4]);
    expect(encodeCifarRecords(parseCifarBatch(bytes))).toEqual(bytes);
  });

  it('rejects a size that is not a whole number of records', () => {
    const bytes = records([1, 2]).subarray(0, CIFAR_RECORD_BYTES * 2 - 10);
    expect(() => parseCifarBatch(bytes, 'data_batch_1.bin')).toThrow(CifarFormatError);
    expect(() => parseCifarBatch(bytes, 'data_batch_1.bin')).toThrow(/data_batch_1\.bin is 6,136 bytes, not a multiple of the 3,073-byte/);
    expect(() => parseCifarBatch(new Uint8Array(0))).toThrow(/0 bytes/);
  });

  it('rejects labels outside 0–9 and names the record', () => {
    const bytes = records([1, 2, 3]);
    bytes[2 * CIFAR_RECORD_BYTES] = 10;
    expect(() => parseCifarBatch(bytes)).toThrow(/record 2 has label 10/);
  });

  it('joins sets and counts classes', () => {
    const joined = concatImageSets([parseCifarBatch(records([0, 1])), parseCifarBatch(records([1, 9, 9]))]);
    expect(joined.count).toBe(5);
    expect([...joined.labels]).toEqual([0, 1, 1, 9, 9]);
    expect(joined.images[2 * 3072]).toBe(10); // R at (0,0) of the second "1"
    expect(joined.images[3 * 3072]).toBe(90);
    expect(classCounts(joined.labels)).toEqual([1, 2, 0, 0, 0, 0, 0, 0, 0, 2]);
  });
});

const real = resolve(__dirname, '../../../shared/data/cifar10/data_batch_1.bin');

describe('real CIFAR-10 data_batch_1', () => {
  it.skipIf(!existsSync(real))('has 10,000 records with the per-class counts of its README', () => {
    const set = parseCifarBatch(new Uint8Array(readFileSync(real)), 'data_batch_1.bin');
    expect(set.count).toBe(10_000);
    const counts = classCounts(set.labels);
    const byName = Object.fromEntries(CIFAR_CLASSES.map((c, i) => [c, counts[i]]));
    expect(byName).toEqual({
      airplane: 1005,
      automobile: 974,
      bird: 1032,
      cat: 1016,
      deer: 999,
      dog: 937,
      frog: 1030,
      horse: 1001,
      ship: 1025,
      truck: 981,
    });
    // The README's first labels: frog, truck, truck, deer, automobile, automobile, bird, horse, ship, cat.
    expect([...set.labels.subarray(0, 10)]).toEqual([6, 9, 9, 4, 1, 1, 2, 7, 8, 3]);
  });
  if (!existsSync(real)) console.warn(`skipping real CIFAR-10 checks: ${real} is absent`);
});
