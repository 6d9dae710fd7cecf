/**
 * How a training worker proves to its page that it is alive, outside Comlink (whose messages carry
 * an `id`; these carry `tensorloomWorker` and Comlink passes them by). Types and constants only, so
 * the page imports them without pulling TF.js in.
 *
 * - `hello` once the worker's modules have loaded. It names a Web Lock the worker holds for its
 *   whole life: the page asks for the same lock, and the browser grants it the moment the worker
 *   closes, crashes or is terminated, whatever the worker was doing. That is how a dead worker is
 *   told from a busy one (a long synchronous kernel posts nothing, but still holds its lock).
 * - `beat` about every {@link HEARTBEAT_INTERVAL_MS}, from a timer in the worker: it can only fire
 *   when the worker's event loop turns, which the training loops let it do between steps (they
 *   yield every few ms), while awaiting a GPU readback, and while paused.
 */

/** Worker → page. */
export type LivenessSignal =
  | { tensorloomWorker: 'hello'; lock?: string }
  | { tensorloomWorker: 'beat'; at: number };

/** Page → worker, honoured only in development builds: fault injection for the e2e tests. */
export type FaultInjection =
  /** The worker closes itself, as if it had crashed. */
  | { tensorloomFault: 'close' }
  /** An uncaught error, then the worker closes. */
  | { tensorloomFault: 'throw-then-close' }
  /** The worker's thread is held for `ms` by synchronous work, as by a huge model build. */
  | { tensorloomFault: 'busy'; ms: number }
  /** The worker's WebGPU device is destroyed, as a driver reset or a GPU process crash does. */
  | { tensorloomFault: 'gpu-device-lost' };

/** Between two `beat`s. */
export const HEARTBEAT_INTERVAL_MS = 1000;

export function isLivenessSignal(data: unknown): data is LivenessSignal {
  return typeof data === 'object' && data !== null && typeof (data as { tensorloomWorker?: unknown }).tensorloomWorker === 'string';
}
