/**
 * The worker side of src/protocol/liveness.ts: holds the worker's Web Lock, says hello, beats, and in
 * development builds obeys fault injections. Each worker calls {@link announceLife} once its
 * modules have loaded (at the end of its entry module), so `hello` also means "the script loaded".
 */
import { HEARTBEAT_INTERVAL_MS, type FaultInjection, type LivenessSignal } from '../../src/protocol/liveness';

interface WorkerScope {
  postMessage(message: LivenessSignal): void;
  addEventListener(type: 'message', listener: (e: MessageEvent) => void): void;
  close(): void;
}

function lockName(): string {
  const id = typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
  return `tensorloom-worker-${id}`;
}

/** Starts the hello, the heartbeat and (in development) fault injection for this worker. */
export function announceLife(scope: WorkerScope = self as unknown as WorkerScope, faults = import.meta.env?.DEV === true): void {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (locks) {
    const lock = lockName();
    // Held until the worker ends: the callback's promise never settles.
    locks
      .request(lock, () => {
        scope.postMessage({ tensorloomWorker: 'hello', lock });
        return new Promise<never>(() => undefined);
      })
      .catch(() => scope.postMessage({ tensorloomWorker: 'hello' }));
  } else {
    scope.postMessage({ tensorloomWorker: 'hello' });
  }
  setInterval(() => scope.postMessage({ tensorloomWorker: 'beat', at: Date.now() }), HEARTBEAT_INTERVAL_MS);
  if (faults) scope.addEventListener('message', (e) => injectFault(scope, e.data as Partial<FaultInjection> | null));
}

/** Faults that need what only another module holds (the GPU device lives in the backend module). */
const faultActions = new Map<FaultInjection['tensorloomFault'], () => void>();

/**
 * Lets the module that owns a resource act out a fault on it (development builds only obey
 * injections at all): the WebGPU backend registers 'gpu-device-lost' once it holds a device.
 */
export function onFault(fault: FaultInjection['tensorloomFault'], action: () => void): void {
  faultActions.set(fault, action);
}

function injectFault(scope: WorkerScope, fault: Partial<FaultInjection> | null): void {
  switch (fault?.tensorloomFault) {
    case 'close':
      scope.close();
      break;
    case 'throw-then-close':
      setTimeout(() => {
        throw new Error('fault injected: the worker threw');
      });
      setTimeout(() => scope.close(), 50);
      break;
    case 'busy': {
      const until = Date.now() + (fault.ms ?? 0);
      while (Date.now() < until) {
        // Holds the thread, as one long synchronous kernel would.
      }
      break;
    }
    case 'gpu-device-lost':
      faultActions.get('gpu-device-lost')?.();
      break;
    default:
      break;
  }
}
