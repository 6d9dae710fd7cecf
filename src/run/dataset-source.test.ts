import { gzipSync } from 'fflate';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { CIFAR_RECORD_BYTES } from '../data/cifar';
import { DatasetSourceError, ingestCifar, loadCachedCifar, parseCifarInputs } from './dataset-source';
import { DatasetCache, openRunsDatabase } from './runs-db';
import { writeTar } from '../data/tar';

/** `n` records whose label is `i % 10` and whose pixels encode the record index. */
function records(n: number, firstLabel = 0): Uint8Array {
  const out = new Uint8Array(n * CIFAR_RECORD_BYTES);
  for (let i = 0; i < n; i++) {
    out[i * CIFAR_RECORD_BYTES] = (firstLabel + i) % 10;
    out.fill(i % 256, i * CIFAR_RECORD_BYTES + 1, (i + 1) * CIFAR_RECORD_BYTES);
  }
  return out;
}

function cache() {
  return new DatasetCache(openRunsDatabase(`ds-${Math.random()}`, { indexedDB: new IDBFactory(), IDBKeyRange }));
}

function errorOf(f: () => unknown): DatasetSourceError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(DatasetSourceError);
    return e as DatasetSourceError;
  }
  throw new Error('expected a DatasetSourceError');
}

describe('parseCifarInputs', () => {
  it('reads loose batches in numeric order with the test batch apart', () => {
    const { parsed } = parseCifarInputs([
      { name: 'test_batch.bin', data: records(3) },
      { name: 'data_batch_2.bin', data: records(4, 5) },
      { name: 'data_batch_1.bin', data: records(2) },
    ]);
    expect(parsed.train.count).toBe(6);
    expect([...parsed.train.labels]).toEqual([0, 1, 5, 6, 7, 8]);
    expect(parsed.test?.count).toBe(3);
    expect(parsed.files).toEqual(['data_batch_1.bin', 'data_batch_2.bin', 'test_batch.bin']);
  });

  it('unpacks the official archive layout and keeps only the batches for the cache', () => {
    const tar = writeTar([
      { name: 'cifar-10-batches-bin/batches.meta.txt', data: new TextEncoder().encode('airplane\n') },
      { name: 'cifar-10-batches-bin/data_batch_1.bin', data: records(5) },
      { name: 'cifar-10-batches-bin/test_batch.bin', data: records(2) },
    ]);
    const { parsed, batches } = parseCifarInputs([{ name: 'cifar-10-binary.tar.gz', data: gzipSync(tar) }]);
    expect(parsed.train.count).toBe(5);
    expect(parsed.test?.count).toBe(2);
    expect(batches.map((b) => b.name)).toEqual(['data_batch_1.bin', 'test_batch.bin']);
  });

  it('says a file is not a whole number of records', () => {
    const e = errorOf(() => parseCifarInputs([{ name: 'data_batch_1.bin', data: records(2).subarray(0, CIFAR_RECORD_BYTES * 2 - 7) }]));
    expect(e.message).toMatch(/data_batch_1\.bin is 6,139 bytes, not a multiple of the 3,073-byte CIFAR-10 record/);
  });

  it('says which record has a label outside 0–9', () => {
    const bad = records(3);
    bad[2 * CIFAR_RECORD_BYTES] = 12;
    const e = errorOf(() => parseCifarInputs([{ name: 'data_batch_1.bin', data: bad }]));
    expect(e.message).toBe('data_batch_1.bin: record 2 has label 12, CIFAR-10 labels are 0–9');
  });

  it('says a gzipped archive is truncated', () => {
    const gz = gzipSync(writeTar([{ name: 'cifar-10-batches-bin/data_batch_1.bin', data: records(40) }]));
    const e = errorOf(() => parseCifarInputs([{ name: 'cifar-10-binary.tar.gz', data: gz.subarray(0, gz.length >> 1) }]));
    expect(e.message).toMatch(/cifar-10-binary\.tar\.gz could not be decompressed .*truncated or corrupt/);
  });

  it('says an unpacked tar is cut short', () => {
    const tar = writeTar([{ name: 'cifar-10-batches-bin/data_batch_1.bin', data: records(4) }]);
    const e = errorOf(() => parseCifarInputs([{ name: 'cifar.tar', data: tar.subarray(0, 3000) }]));
    expect(e.message).toMatch(/cifar\.tar is truncated: cifar-10-batches-bin\/data_batch_1\.bin needs 12,292 bytes/);
  });

  it('refuses a test batch alone, unrelated files, and two archives', () => {
    expect(errorOf(() => parseCifarInputs([{ name: 'test_batch.bin', data: records(1) }])).message).toMatch(/only the test batch was given; add at least one data_batch_N\.bin/);
    expect(
      errorOf(() =>
        parseCifarInputs([
          { name: 'data_batch_1.bin', data: records(1) },
          { name: 'notes.txt', data: new Uint8Array(3) },
        ]),
      ).message,
    ).toMatch(/notes\.txt: not a CIFAR-10 batch/);
    const gz = gzipSync(writeTar([{ name: 'data_batch_1.bin', data: records(1) }]));
    expect(
      errorOf(() =>
        parseCifarInputs([
          { name: 'a.tar.gz', data: gz },
          { name: 'b.tar.gz', data: gz },
        ]),
      ).message,
    ).toMatch(/one archive at a time/);
    expect(errorOf(() => parseCifarInputs([])).message).toBe('no files were given');
  });
});

describe('dataset cache', () => {
  it('stores what was ingested once and loads the same images after a “reload”', async () => {
    const c = cache();
    const first = await ingestCifar(
      [
        { name: 'data_batch_1.bin', data: records(7) },
        { name: 'test_batch.bin', data: records(3, 4) },
      ],
      c,
    );
    expect(first.summary).toMatchObject({ trainImages: 7, testImages: 3, fromCache: false, files: ['data_batch_1.bin', 'test_batch.bin'] });
    expect(first.summary.classCounts).toEqual([1, 1, 1, 1, 1, 1, 1, 0, 0, 0]);
    const again = await loadCachedCifar(c);
    expect(again?.summary.fromCache).toBe(true);
    expect(again?.train.images).toEqual(first.train.images);
    expect(again?.test?.labels).toEqual(first.test?.labels);
    expect(await loadCachedCifar(cache())).toBeUndefined();
  });

  it('keeps the previous cache when new files are refused', async () => {
    const c = cache();
    await ingestCifar([{ name: 'data_batch_1.bin', data: records(2) }], c);
    await expect(ingestCifar([{ name: 'data_batch_1.bin', data: new Uint8Array(10) }], c)).rejects.toThrow(/not a multiple/);
    expect((await loadCachedCifar(c))?.summary.trainImages).toBe(2);
  });
});
