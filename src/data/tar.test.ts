import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ArchiveError, gunzip, readTar, writeTar } from './tar';

const enc = new TextEncoder();
const bytesOf = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);

describe('readTar', () => {
  const files = [
    { name: 'dir/a.txt', data: enc.encode('hello') },
    { name: 'dir/empty', data: new Uint8Array(0) },
    { name: 'dir/block.bin', data: bytesOf(512, 1) },
    { name: 'dir/big.bin', data: bytesOf(3073 * 3, 7) },
  ];

  it('reads back what writeTar wrote, plain and gzipped', () => {
    for (const archive of [writeTar(files), gzipSync(writeTar(files))]) {
      const entries = readTar(archive);
      expect(entries.map((e) => e.name)).toEqual(files.map((f) => f.name));
      entries.forEach((e, i) => {
        expect(e.size).toBe(files[i]!.data.length);
        expect(e.data).toEqual(files[i]!.data);
      });
    }
  });

  it('joins the ustar prefix field and honours GNU long names', () => {
    const tar = writeTar([{ name: 'x.bin', data: bytesOf(10, 2) }, { name: 'placeholder', data: enc.encode('y') }]);
    // put a prefix on the first header and fix its checksum
    const fix = (h: Uint8Array) => {
      h.fill(0x20, 148, 156);
      let sum = 0;
      for (const b of h) sum += b;
      h.set(enc.encode(sum.toString(8).padStart(6, '0') + '\0 '), 148);
    };
    const h0 = tar.subarray(0, 512);
    h0.set(enc.encode('cifar-10-batches-bin'), 345);
    fix(h0);
    expect(readTar(tar)[0]!.name).toBe('cifar-10-batches-bin/x.bin');

    const longName = 'a/'.repeat(70) + 'long.bin';
    const gnu = writeTar([{ name: '././@LongLink', data: enc.encode(longName + '\0') }, { name: 'short', data: enc.encode('z') }]);
    gnu[156] = 'L'.charCodeAt(0);
    fix(gnu.subarray(0, 512));
    const entries = readTar(gnu);
    expect(entries.map((e) => e.name)).toEqual([longName]);
  });

  it('reports a truncated archive clearly', () => {
    const tar = writeTar(files);
    expect(() => readTar(tar.subarray(0, 512 * 6 + 100), 'c.tar')).toThrow(ArchiveError);
    expect(() => readTar(tar.subarray(0, 512 * 6 + 100), 'c.tar')).toThrow(/c\.tar is truncated: dir\/big\.bin needs 9,219 bytes/);
    expect(() => readTar(tar.subarray(0, tar.length - 1024), 'c.tar')).toThrow(/without an end-of-archive marker; it is truncated/);
    const gz = gzipSync(tar);
    expect(() => readTar(gz.subarray(0, Math.floor(gz.length / 2)), 'c.tar.gz')).toThrow(
      /c\.tar\.gz could not be decompressed .*truncated or corrupt/,
    );
  });

  it('rejects bytes that are not a tar archive', () => {
    const junk = bytesOf(2048, 5);
    expect(() => readTar(junk, 'x')).toThrow(/checksum|bad .* field/);
    expect(() => gunzip(enc.encode('plain'), 'y')).toThrow(/not gzip-compressed/);
  });
});
