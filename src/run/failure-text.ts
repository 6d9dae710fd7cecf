/**
 * Failures in the user's words: what the browser or TF.js says (a `mapAsync` refusal, a
 * `QuotaExceededError`) becomes what happened and what to do about it.
 */

/** What to free when the browser's storage for this site is full. */
export const STORAGE_FULL = 'storage is full: delete old runs (History tab) or cached datasets (Data tab) to free space';

/** Whether an IndexedDB / Dexie error (or what it wraps) is the storage quota running out. */
export function isStorageFull(e: unknown): boolean {
  for (let err = e, depth = 0; err && depth < 4; depth++) {
    const { name, message, inner } = err as { name?: unknown; message?: unknown; inner?: unknown };
    if (name === 'QuotaExceededError' || (typeof message === 'string' && /quota/i.test(message))) return true;
    err = inner;
  }
  return false;
}

/** Why a checkpoint could not be stored, and what that means for the run. */
export function checkpointProblem(e: unknown): string {
  const why = isStorageFull(e) ? STORAGE_FULL : `the browser refused to store it (${e instanceof Error ? e.message : String(e)})`;
  return `Checkpoint not saved — ${why}. The trained weights stay in this page: Export still works until you start another run or reload.`;
}

/** WebGPU's own words when its device is gone (a driver reset, the GPU process crashing, sleep). */
const DEVICE_LOST = /mapAsync.*GPUBuffer|GPUBuffer.*mapAsync|device (was |is )?lost|GPUDevice.*lost|lost.*GPUDevice|Device is lost|DXGI_ERROR_DEVICE/i;
const CONTEXT_LOST = /CONTEXT_LOST_WEBGL|context lost|webglcontextlost/i;

/** A worker's failure reason as the run panel shows it. */
export function failureText(reason: string): string {
  if (DEVICE_LOST.test(reason)) return `the GPU device was lost (the browser or its driver reset it): retry, or run on wasm. Details: ${reason}`;
  if (CONTEXT_LOST.test(reason)) return `the WebGL context was lost (the browser reset the GPU): retry, or run on wasm. Details: ${reason}`;
  if (isStorageFull({ message: reason })) return `${STORAGE_FULL}. Details: ${reason}`;
  return reason;
}
