/**
 * Picks the TF.js backend a run trains on: each backend in the preferred order is tried, and the
 * first that initializes and passes a training smoke test wins. The try-functions are injected,
 * so the fall-through logic is tested in Node without a GPU (see backend-tf.ts for the real ones).
 */
import type { Backend } from '../../src/graph/plan';
import type { BackendAttempt, BackendChoice } from '../../src/protocol/backend';

export type { BackendAttempt, BackendChoice };

/** What a try-function knows about the choice it is part of. */
export interface TryContext {
  /**
   * Another backend follows in the preference list. A backend that would work but badly (a
   * software GPU adapter) should step aside then; asked for alone, it should run.
   */
  fallbackAvailable: boolean;
}

/** Initializes one backend; resolves when it is ready, throws (or rejects) with the reason it is not. */
export type BackendTry = (context: TryContext) => Promise<void>;

/** No backend in the preference list could train. */
export class NoBackendError extends Error {
  override readonly name = 'NoBackendError';
  constructor(readonly attempts: BackendAttempt[]) {
    super(
      attempts.length === 0
        ? 'no backend to try: the preference list is empty'
        : `no backend could train: ${attempts.map((a) => `${a.backend}: ${a.reason}`).join('; ')}`,
    );
  }
}

/** An error's message in a line, for an attempt's reason. */
export function reasonOf(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.trim() || 'failed without a message';
}

/** `p`, or a rejection naming `backend` after `ms`. */
export function withTimeout(p: Promise<void>, ms: number, backend: Backend): Promise<void> {
  if (!Number.isFinite(ms)) return p;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${backend} did not start within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export interface SelectOptions {
  /** Gives up on a backend that takes longer than this to start (a GPU adapter request can hang). */
  timeoutMs?: number;
  /** Told about each attempt as it finishes, e.g. to show "webgpu skipped: …" while wasm loads. */
  onAttempt?: (attempt: BackendAttempt) => void;
  now?: () => number;
}

/**
 * Tries the backends of `preference` in order (duplicates once) and returns the first that
 * works with every attempt made. A backend with no try-function is skipped as unsupported.
 * Throws {@link NoBackendError} when none works.
 */
export async function selectBackend(
  preference: readonly Backend[],
  tries: Partial<Record<Backend, BackendTry>>,
  options: SelectOptions = {},
): Promise<BackendChoice> {
  const now = options.now ?? (() => performance.now());
  const attempts: BackendAttempt[] = [];
  const order = [...new Set(preference)];
  for (const [index, backend] of order.entries()) {
    const start = now();
    const tryIt = tries[backend];
    let attempt: BackendAttempt;
    if (!tryIt) {
      attempt = { backend, ok: false, reason: 'not supported in this build', ms: 0 };
    } else {
      try {
        await withTimeout(tryIt({ fallbackAvailable: index < order.length - 1 }), options.timeoutMs ?? Infinity, backend);
        attempt = { backend, ok: true, ms: now() - start };
      } catch (e) {
        attempt = { backend, ok: false, reason: reasonOf(e), ms: now() - start };
      }
    }
    attempts.push(attempt);
    options.onAttempt?.(attempt);
    if (attempt.ok) return { backend, attempts };
  }
  throw new NoBackendError(attempts);
}
