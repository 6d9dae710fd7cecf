/**
 * The dataset worker: reads picked files or a URL, parses CIFAR-10, caches the batches in the runs
 * database, and hands the images back as transferred buffers. Unpacking and parsing 170 MB takes
 * seconds; here it never blocks the page.
 */
import * as Comlink from 'comlink';
import { readFileBytes, fetchBytes } from './dataset-source-fetch';
import {
  CIFAR10_DATASET_ID,
  ingestCifar,
  loadCachedCifar,
  asDatasetError,
  type LoadedDataset,
  type NamedBytes,
} from './dataset-source';
import { DatasetCache, openRunsDatabase } from './runs-db';

export type LoadPhase = 'reading' | 'downloading' | 'parsing';

export interface LoadProgress {
  phase: LoadPhase;
  loaded: number;
  total?: number;
}

export type ProgressCallback = (p: LoadProgress) => void;

const cache = new DatasetCache(openRunsDatabase());
let download: AbortController | null = null;

function transferable(d: LoadedDataset): LoadedDataset {
  const buffers = [d.train.images.buffer, d.train.labels.buffer];
  if (d.test) buffers.push(d.test.images.buffer, d.test.labels.buffer);
  return Comlink.transfer(d, buffers as ArrayBuffer[]);
}

/** Rethrows as a plain Error: Comlink carries message and name, not subclasses. */
function rethrow(e: unknown): never {
  const err = asDatasetError(e);
  throw Object.assign(new Error(err.message), { name: err.name });
}

async function ingest(inputs: NamedBytes[], onProgress: ProgressCallback): Promise<LoadedDataset> {
  onProgress({ phase: 'parsing', loaded: 0 });
  return transferable(await ingestCifar(inputs, cache, CIFAR10_DATASET_ID));
}

const api = {
  async fromFiles(files: File[], onProgress: ProgressCallback): Promise<LoadedDataset> {
    try {
      const total = files.reduce((n, f) => n + f.size, 0);
      let before = 0;
      const inputs: NamedBytes[] = [];
      for (const f of files) {
        const data = await readFileBytes(f, (loaded) => onProgress({ phase: 'reading', loaded: before + loaded, total }));
        before += f.size;
        inputs.push({ name: f.name, data });
      }
      return await ingest(inputs, onProgress);
    } catch (e) {
      rethrow(e);
    }
  },

  async fromUrl(url: string, onProgress: ProgressCallback): Promise<LoadedDataset> {
    download?.abort();
    const controller = new AbortController();
    download = controller;
    try {
      const data = await fetchBytes(url, (loaded, total) => onProgress({ phase: 'downloading', loaded, ...(total ? { total } : {}) }), controller.signal);
      const name = new URL(url, self.location.href).pathname.split('/').pop() || 'download.tar.gz';
      return await ingest([{ name, data }], onProgress);
    } catch (e) {
      rethrow(e);
    } finally {
      if (download === controller) download = null;
    }
  },

  cancelDownload(): void {
    download?.abort();
  },

  /** The cached copy, if any; parsing it again checks it was not damaged in storage. */
  async fromCache(): Promise<LoadedDataset | undefined> {
    try {
      const d = await loadCachedCifar(cache, CIFAR10_DATASET_ID);
      return d ? transferable(d) : undefined;
    } catch (e) {
      rethrow(e);
    }
  },

  async cachedFiles(): Promise<{ name: string; size: number }[]> {
    return (await cache.summary(CIFAR10_DATASET_ID)).map(({ name, size }) => ({ name, size }));
  },

  async clear(): Promise<void> {
    await cache.clear(CIFAR10_DATASET_ID);
  },
};

export type DatasetWorkerApi = typeof api;

Comlink.expose(api);
