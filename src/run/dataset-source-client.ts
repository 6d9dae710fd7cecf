/**
 * The page's handle on the dataset worker: one worker for the page's lifetime, spoken to through
 * Comlink. Images come back as transferred buffers and are passed on (transferred again) to the
 * training worker, so the page never copies or touches the pixels.
 */
import * as Comlink from 'comlink';
import type { LoadedDataset } from './dataset-source';
import type { DatasetWorkerApi, LoadProgress } from './dataset-source.worker';

export type { LoadProgress } from './dataset-source.worker';

/** Cached files as stored: names and sizes (image counts follow from the 3,073-byte records). */
export interface CachedFile {
  name: string;
  size: number;
}

export class DatasetSourceClient {
  private readonly worker: Worker;
  private readonly api: Comlink.Remote<DatasetWorkerApi>;

  constructor() {
    this.worker = new Worker(new URL('./dataset-source.worker.ts', import.meta.url), { type: 'module', name: 'tensorloom-dataset' });
    this.api = Comlink.wrap<DatasetWorkerApi>(this.worker);
  }

  fromFiles(files: File[], onProgress: (p: LoadProgress) => void): Promise<LoadedDataset> {
    return this.api.fromFiles(files, Comlink.proxy(onProgress));
  }

  fromUrl(url: string, onProgress: (p: LoadProgress) => void): Promise<LoadedDataset> {
    return this.api.fromUrl(url, Comlink.proxy(onProgress));
  }

  cancelDownload(): Promise<void> {
    return this.api.cancelDownload();
  }

  fromCache(): Promise<LoadedDataset | undefined> {
    return this.api.fromCache();
  }

  cachedFiles(): Promise<CachedFile[]> {
    return this.api.cachedFiles();
  }

  clear(): Promise<void> {
    return this.api.clear();
  }

  dispose(): void {
    this.api[Comlink.releaseProxy]();
    this.worker.terminate();
  }
}

let shared: DatasetSourceClient | null = null;

/** The page's one dataset worker, started on first use. */
export function datasetSource(): DatasetSourceClient {
  shared ??= new DatasetSourceClient();
  return shared;
}
