/**
 * `auto` backend choice by measurement: a backend that starts is not necessarily the fast one
 * (integrated GPUs lose to wasm on small convolutions; some WebGL drivers lose to everything), so
 * each candidate that passes its smoke test times one real training step of the run's own graph,
 * and the fastest trains. The cpu backend is no candidate: it is only the last resort when no
 * other starts. The step timer is injected, so the choice is tested without a GPU.
 */
import type { Backend } from '../../src/graph/plan';
import type { BackendAttempt, BackendChoice, BackendTiming } from '../../src/protocol/backend';
import { NoBackendError, reasonOf, selectBackend, withTimeout, type BackendTry, type SelectOptions } from './backend';

/** Times one training step of the run's graph on the active backend `backend`, in ms. */
export type StepTimer = (backend: Backend) => Promise<number>;

export interface MeasureOptions extends SelectOptions {
  /** Told before each candidate's step is timed, e.g. to say so on the page. */
  onTiming?: (backend: Backend) => void;
}

const ms = (v: number): string => `${v < 10 ? v.toFixed(1) : Math.round(v)} ms`;

/**
 * Starts every non-cpu backend of `preference`, times a training step on each that starts, and
 * leaves the fastest active; `timings` lists them fastest first, and slower ones are attempts not
 * taken, their reason the comparison. With fewer than two non-cpu candidates nothing is timed:
 * it is {@link selectBackend}. When none starts, cpu (if listed) is tried; else
 * {@link NoBackendError}.
 */
export async function measureBackends(
  preference: readonly Backend[],
  tries: Partial<Record<Backend, BackendTry>>,
  timeStep: StepTimer,
  options: MeasureOptions = {},
): Promise<BackendChoice> {
  const order = [...new Set(preference)];
  const candidates = order.filter((b) => b !== 'cpu');
  if (candidates.length < 2) return selectBackend(order, tries, options);
  const now = options.now ?? (() => performance.now());
  const attempts: BackendAttempt[] = [];
  const started: BackendAttempt[] = [];
  const start = async (backend: Backend, tryIt: BackendTry): Promise<void> =>
    // Another backend always follows (cpu at worst), so a software GPU may step aside.
    withTimeout(tryIt({ fallbackAvailable: true }), options.timeoutMs ?? Infinity, backend);
  const skip = (attempt: BackendAttempt): void => {
    attempts.push(attempt);
    options.onAttempt?.(attempt);
  };
  for (const backend of candidates) {
    const tryIt = tries[backend];
    const t0 = now();
    if (!tryIt) skip({ backend, ok: false, reason: 'not supported in this build', ms: 0 });
    else {
      try {
        await start(backend, tryIt);
        started.push({ backend, ok: true, ms: now() - t0 });
      } catch (e) {
        skip({ backend, ok: false, reason: reasonOf(e), ms: now() - t0 });
      }
    }
  }
  const lastResort = async (): Promise<BackendChoice> => {
    if (!order.includes('cpu')) throw new NoBackendError(attempts);
    const last = await selectBackend(['cpu'], tries, options).catch((e: unknown) => {
      throw e instanceof NoBackendError ? new NoBackendError([...attempts, ...e.attempts]) : e;
    });
    return { backend: 'cpu', attempts: [...attempts, ...last.attempts] };
  };
  if (started.length === 0) return lastResort();
  if (started.length === 1) {
    // Nothing to compare, so no step is spent on timing it; active again, as later tries may have changed it.
    const only = started[0]!;
    await start(only.backend, tries[only.backend]!);
    attempts.push(only);
    options.onAttempt?.(only);
    return { backend: only.backend, attempts };
  }
  const timings: BackendTiming[] = [];
  for (const attempt of started) {
    const { backend } = attempt;
    try {
      await start(backend, tries[backend]!); // active again: the later ones took over
      options.onTiming?.(backend);
      timings.push({ backend, stepMs: await timeStep(backend) });
    } catch (e) {
      skip({ ...attempt, ok: false, reason: `its training step failed: ${reasonOf(e)}` });
    }
  }
  if (timings.length === 0) return lastResort();
  timings.sort((a, b) => a.stepMs - b.stepMs);
  const best = timings[0]!;
  const of = (b: Backend): BackendAttempt => started.find((a) => a.backend === b)!;
  for (const t of timings.slice(1)) skip({ ...of(t.backend), ok: false, reason: `slower: ${ms(t.stepMs)} a training step, ${best.backend} ${ms(best.stepMs)}` });
  // The fastest was measured before the others took over: make it the active backend again.
  await start(best.backend, tries[best.backend]!);
  const chosen = of(best.backend);
  attempts.push(chosen);
  options.onAttempt?.(chosen);
  return { backend: best.backend, attempts, timings };
}
