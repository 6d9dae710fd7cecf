/**
 * Where a supervised run's CIFAR-10 comes from: files the user picked or dropped, a URL, or the copy
 * cached in the runs database by an earlier visit. Runs in the dataset worker (parsing 170 MB must
 * not block the page) and in Node tests; the parsing itself is `cifar.ts` / `cifar-archive.ts`.
 */
import { cifarFromFiles, cifarFromUpload, type CifarFiles } from '../data/cifar-archive';
import { CifarFormatError, type ImageSet } from '../data/cifar';
import { STORAGE_FULL, isStorageFull } from './failure-text';
import type { DatasetCache } from './runs-db';
import { ArchiveError, isGzip, readTar } from '../data/tar';

export const CIFAR10_DATASET_ID = 'cifar10';
/** The official archive; its server may refuse cross-origin downloads, hence the file picker. */
export const CIFAR10_URL = 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz';

/** A named file's bytes, whatever it was read from. */
export interface NamedBytes {
  name: string;
  data: Uint8Array;
}

/** What the page learns about a loaded dataset, without the pixels. */
export interface DatasetSummary {
  id: string;
  files: string[];
  trainImages: number;
  testImages: number;
  /** Images per class in the training part. */
  classCounts: number[];
  fromCache: boolean;
}

/** A loaded dataset: the summary plus the images the training worker needs. */
export interface LoadedDataset {
  summary: DatasetSummary;
  train: ImageSet;
  test?: ImageSet;
}

/** The input cannot be used as CIFAR-10; `message` says why in words a user can act on. */
export class DatasetSourceError extends Error {
  override readonly name = 'DatasetSourceError';
}

const BATCH = /(?:^|\/)(data_batch_\d+|test_batch)\.bin$/;
const ARCHIVE = /\.(tar|tgz|tar\.gz|gz)$/i;

/** Turns any failure of reading or parsing into a {@link DatasetSourceError}. */
export function asDatasetError(e: unknown): DatasetSourceError {
  if (e instanceof DatasetSourceError) return e;
  if (e instanceof CifarFormatError || e instanceof ArchiveError) return new DatasetSourceError(e.message);
  if (isStorageFull(e)) return new DatasetSourceError(`the dataset could not be cached — ${STORAGE_FULL}, then load it again`);
  const why = e instanceof Error ? e.message : String(e);
  return new DatasetSourceError(`could not read the dataset: ${why}`);
}

/** The raw batch files inside whatever was handed over, to cache exactly what was parsed. */
function batchFiles(inputs: readonly NamedBytes[]): NamedBytes[] {
  const out: NamedBytes[] = [];
  for (const f of inputs) {
    if (isGzip(f.data) || ARCHIVE.test(f.name)) {
      for (const e of readTar(f.data, f.name)) if (BATCH.test(e.name)) out.push({ name: e.name.split('/').pop()!, data: e.data });
    } else if (BATCH.test(f.name)) {
      out.push({ name: f.name.split('/').pop()!, data: f.data });
    } else {
      out.push(f);
    }
  }
  return out;
}

/**
 * Parses user-supplied files: one archive, one batch, or several `data_batch_N.bin` /
 * `test_batch.bin`. Throws {@link DatasetSourceError} with the reason a file was refused.
 */
export function parseCifarInputs(inputs: readonly NamedBytes[]): { parsed: CifarFiles; batches: NamedBytes[] } {
  if (inputs.length === 0) throw new DatasetSourceError('no files were given');
  try {
    const archives = inputs.filter((f) => isGzip(f.data) || ARCHIVE.test(f.name));
    if (archives.length > 1) throw new DatasetSourceError('give one archive at a time (cifar-10-binary.tar.gz)');
    if (inputs.length === 1 && archives.length === 0 && !BATCH.test(inputs[0]!.name)) {
      // A lone file with another name: still worth parsing as records, as training data.
      const only = inputs[0]!;
      return { parsed: cifarFromUpload(only.name, only.data), batches: [{ name: 'data_batch_1.bin', data: only.data }] };
    }
    const batches = batchFiles(inputs);
    const unknown = batches.filter((b) => !BATCH.test(b.name));
    if (unknown.length > 0) {
      throw new DatasetSourceError(
        `${unknown.map((u) => u.name).join(', ')}: not a CIFAR-10 batch; expected data_batch_1.bin … data_batch_5.bin, test_batch.bin or cifar-10-binary.tar.gz`,
      );
    }
    if (batches.length > 0 && batches.every((b) => /test_batch/.test(b.name))) {
      throw new DatasetSourceError('only the test batch was given; add at least one data_batch_N.bin for training');
    }
    const source = archives[0]?.name ?? 'the files';
    return { parsed: cifarFromFiles(batches, source), batches };
  } catch (e) {
    throw asDatasetError(e);
  }
}

function summarize(id: string, parsed: CifarFiles, fromCache: boolean): DatasetSummary {
  const counts = new Array<number>(10).fill(0);
  for (const l of parsed.train.labels) counts[l] = (counts[l] ?? 0) + 1;
  return {
    id,
    files: parsed.files.map((f) => f.split('/').pop()!),
    trainImages: parsed.train.count,
    testImages: parsed.test?.count ?? 0,
    classCounts: counts,
    fromCache,
  };
}

/** Parses the inputs, then replaces the cached copy with exactly the batches that parsed. */
export async function ingestCifar(inputs: readonly NamedBytes[], cache: DatasetCache, id = CIFAR10_DATASET_ID): Promise<LoadedDataset> {
  const { parsed, batches } = parseCifarInputs(inputs);
  await cache.replace(
    id,
    batches.map((b) => ({ name: b.name, role: /test_batch/.test(b.name) ? ('test' as const) : ('train' as const), bytes: b.data })),
  );
  return { summary: summarize(id, parsed, false), train: parsed.train, ...(parsed.test ? { test: parsed.test } : {}) };
}

/** The cached dataset, parsed again (and so checked again); undefined when nothing is cached. */
export async function loadCachedCifar(cache: DatasetCache, id = CIFAR10_DATASET_ID): Promise<LoadedDataset | undefined> {
  const rows = await cache.load(id);
  if (rows.length === 0) return undefined;
  try {
    const parsed = cifarFromFiles(rows.map((r) => ({ name: r.name, data: new Uint8Array(r.bytes) })), 'the cached copy');
    return { summary: summarize(id, parsed, true), train: parsed.train, ...(parsed.test ? { test: parsed.test } : {}) };
  } catch (e) {
    throw new DatasetSourceError(`the cached dataset is damaged (${asDatasetError(e).message}); load the files again`);
  }
}
