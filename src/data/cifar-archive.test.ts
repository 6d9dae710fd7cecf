import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { CIFAR_RECORD_BYTES } from './cifar';
import { cifarFromFiles, cifarFromUpload } from './cifar-archive';
import { writeTar } from './tar';

function batch(labels: number[]): Uint8Array {
  const out = new Uint8Array(labels.length * CIFAR_RECORD_BYTES);
  labels.forEach((l, i) => {
    out[i * CIFAR_RECORD_BYTES] = l;
    out.fill(l * 20, i * CIFAR_RECORD_BYTES + 1, (i + 1) * CIFAR_RECORD_BYTES);
  });
  return out;
}

describe('cifarFromUpload', () => {
  it('finds training batches in numeric order and the test batch in a .tar.gz', () => {
    const archive = gzipSync(
      writeTar([
        { name: 'cifar-10-batches-bin/batches.meta.txt', data: new TextEncoder().encode('airplane\n') },
        { name: 'cifar-10-batches-bin/data_batch_2.bin', data: batch([2, 2]) },
        { name: 'cifar-10-batches-bin/test_batch.bin', data: batch([5]) },
        { name: 'cifar-10-batches-bin/data_batch_10.bin', data: batch([9]) },
        { name: 'cifar-10-batches-bin/data_batch_1.bin', data: batch([1]) },
      ]),
    );
    const cifar = cifarFromUpload('cifar-10-binary.tar.gz', archive);
    expect(cifar.files).toEqual([
      'cifar-10-batches-bin/data_batch_1.bin',
      'cifar-10-batches-bin/data_batch_2.bin',
      'cifar-10-batches-bin/data_batch_10.bin',
      'cifar-10-batches-bin/test_batch.bin',
    ]);
    expect([...cifar.train.labels]).toEqual([1, 2, 2, 9]);
    expect(cifar.train.images[3072]).toBe(40);
    expect([...cifar.test!.labels]).toEqual([5]);
  });

  it('takes a loose batch file as training data', () => {
    const cifar = cifarFromUpload('data_batch_3.bin', batch([0, 4]));
    expect(cifar.train.count).toBe(2);
    expect(cifar.test).toBeUndefined();
    expect(() => cifarFromUpload('test_batch.bin', batch([0]))).toThrow(/test batch/);
  });

  it('says what it found when no training batch is there', () => {
    expect(() => cifarFromFiles([{ name: 'readme.html', data: new Uint8Array(3) }], 'x.tar')).toThrow(
      /no data_batch_N\.bin found in x\.tar \(found: readme\.html\)/,
    );
  });
});
