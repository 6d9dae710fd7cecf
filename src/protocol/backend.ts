/** How a worker chose its TF.js backend, as reported to the page. Types only. */
import type { Backend } from '../graph/plan';

/** What happened when one backend was tried. */
export interface BackendAttempt {
  backend: Backend;
  ok: boolean;
  /** Why it was skipped; absent when it was chosen. */
  reason?: string;
  ms: number;
}

export interface BackendChoice {
  backend: Backend;
  /** Every backend tried, in order, the chosen one last. */
  attempts: BackendAttempt[];
  /** `auto` with several backends: one real training step's time on each that started, fastest first. */
  timings?: BackendTiming[];
}

/** How long one training step of the run's graph took on a backend (after a first, compiling step). */
export interface BackendTiming {
  backend: Backend;
  stepMs: number;
}
