/**
 * Finds CIFAR-10's batches in what a user hands over: the official `cifar-10-binary.tar.gz`, an
 * unpacked `.tar`, or loose `data_batch_N.bin` / `test_batch.bin` files. Pure.
 */
import { CifarFormatError, concatImageSets, parseCifarBatch, type ImageSet } from './cifar';
import { isGzip, readTar } from './tar';

/** CIFAR-10 split into the official training batches and the test batch when present. */
export interface CifarFiles {
  train: ImageSet;
  test?: ImageSet;
  /** The batch files used, training batches first in numeric order. */
  files: string[];
}

const TRAIN_BATCH = /(?:^|\/)data_batch_(\d+)\.bin$/;
const TEST_BATCH = /(?:^|\/)test_batch\.bin$/;

/** Picks and parses the batches among named files; throws when there is no training batch. */
export function cifarFromFiles(files: readonly { name: string; data: Uint8Array }[], source = 'the files'): CifarFiles {
  const train = files
    .map((f) => ({ f, m: TRAIN_BATCH.exec(f.name) }))
    .filter((x): x is { f: (typeof files)[number]; m: RegExpExecArray } => x.m !== null)
    .sort((a, b) => Number(a.m[1]) - Number(b.m[1]))
    .map((x) => x.f);
  if (train.length === 0) {
    const names = files.map((f) => f.name).slice(0, 8).join(', ');
    throw new CifarFormatError(
      `no data_batch_N.bin found in ${source}${names ? ` (found: ${names}${files.length > 8 ? ', …' : ''})` : ''}; expected the CIFAR-10 binary version`,
    );
  }
  const testFile = files.find((f) => TEST_BATCH.test(f.name));
  const result: CifarFiles = {
    train: concatImageSets(train.map((f) => parseCifarBatch(f.data, f.name))),
    files: [...train.map((f) => f.name), ...(testFile ? [testFile.name] : [])],
  };
  if (testFile) result.test = parseCifarBatch(testFile.data, testFile.name);
  return result;
}

/**
 * Reads CIFAR-10 from one uploaded or downloaded file: a `.tar(.gz)` archive, or a single
 * `.bin` batch (taken as training data unless it is named `test_batch.bin`).
 */
export function cifarFromUpload(name: string, bytes: Uint8Array): CifarFiles {
  const looksTar = isGzip(bytes) || /\.tar$/i.test(name) || /\.t?gz$/i.test(name);
  if (looksTar) return cifarFromFiles(readTar(bytes, name), name);
  if (TEST_BATCH.test(name)) throw new CifarFormatError(`${name} is the test batch; add at least one data_batch_N.bin for training`);
  const set = parseCifarBatch(bytes, name);
  return { train: set, files: [name] };
}
