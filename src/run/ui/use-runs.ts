/**
 * React glue for the run panel: one RunSession per page, the runs database, the run history list
 * (with interrupted runs marked on first load), and what is available on this machine.
 */
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { Backend } from '../../graph/plan';
import type { FaultInjection } from '../../protocol/liveness';
import { createRunClient } from '../client';
import { RunRepository, newId, openRunsDatabase, type RunIdentity, type RunListEntry } from '../runs-db';
import { isLive, type RunRecord } from '../runs-db-record';
import { RunSession, type SessionFrame } from './run-session';

const TAB_KEY = 'tensorloom.tabId';

/** This page load, and this tab (sessionStorage survives reloads of the same tab, not new tabs). */
function identity(): RunIdentity {
  let tabId: string | null = null;
  try {
    tabId = sessionStorage.getItem(TAB_KEY);
    if (!tabId) {
      tabId = newId('tab');
      sessionStorage.setItem(TAB_KEY, tabId);
    }
  } catch {
    // Storage blocked: every load counts as a new tab; cut-off runs are then found by heartbeat.
    tabId = newId('tab');
  }
  return { sessionId: newId('load'), tabId };
}

interface RunsServices {
  repo: RunRepository;
  session: RunSession;
  /** Resolves once interrupted runs of earlier page loads are marked. */
  ready: Promise<string[]>;
}

let services: RunsServices | null = null;

/** What development builds put on `window.__tensorloomTest` for the e2e specs. */
export interface TestHook {
  /** False when no run's worker is live. */
  injectWorkerFault(fault: FaultInjection): boolean;
}

/** The page's one runs database and session (a module singleton: they outlive panel remounts). */
export function runsServices(): RunsServices {
  if (!services) {
    const repo = new RunRepository(openRunsDatabase(), identity());
    const session = new RunSession(repo, createRunClient);
    services = { repo, session, ready: repo.markInterrupted() };
    // Writes a last record when the tab goes away, so a clean close is not mistaken for a crash later.
    addEventListener('pagehide', () => void session.flushWrites());
    if (import.meta.env.DEV) {
      // The e2e fault-injection specs reach the live run's worker through this (never in a build).
      (window as unknown as { __tensorloomTest?: TestHook }).__tensorloomTest = { injectWorkerFault: (fault) => session.injectFault(fault) };
    }
  }
  return services;
}

export function useSessionFrame(session: RunSession): SessionFrame {
  return useSyncExternalStore(session.subscribe, session.getFrame);
}

/** How often the history looks again while a run goes on in another tab. */
const ELSEWHERE_POLL_MS = 2000;

/** A live run that another page load (another tab) drives. */
export function runningElsewhere(run: Pick<RunRecord, 'status' | 'sessionId'>, me: RunIdentity): boolean {
  return isLive(run.status) && run.sessionId !== me.sessionId;
}

/** The history list, reloaded on demand and whenever the session's phase or stored records change. */
export function useRunHistory(repo: RunRepository, ready: Promise<unknown>, phase: string, stored: number): { entries: RunListEntry[]; reload(): void } {
  const [entries, setEntries] = useState<RunListEntry[]>([]);
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  useEffect(() => {
    let live = true;
    let follow: ReturnType<typeof setTimeout> | undefined;
    void ready
      .catch(() => [])
      .then(() => repo.list())
      .then((list) => {
        if (!live) return;
        setEntries(list);
        // Another tab's run changes where this tab cannot hear it: look again until it ends.
        if (list.some((e) => e.ok && runningElsewhere(e.run, repo.me))) follow = setTimeout(() => live && setTick((t) => t + 1), ELSEWHERE_POLL_MS);
      })
      .catch((e: unknown) => console.error('run history not loaded', e));
    return () => {
      live = false;
      clearTimeout(follow);
    };
  }, [repo, ready, phase, stored, tick]);
  return { entries, reload };
}

/** Backends this browser seems to offer; the worker has the final word when it initializes them. */
export function probeBackends(): Record<Backend, string | null> {
  const gpu = typeof navigator !== 'undefined' && 'gpu' in navigator;
  let webgl = false;
  try {
    const gl = typeof document !== 'undefined' ? document.createElement('canvas').getContext('webgl2') : null;
    webgl = gl !== null;
    // Browsers cap live WebGL contexts; this probe must not hold one the worker may need.
    gl?.getExtension('WEBGL_lose_context')?.loseContext();
  } catch {
    webgl = false;
  }
  return {
    webgpu: gpu ? null : 'this browser has no WebGPU',
    webgl: webgl ? null : 'this browser has no WebGL 2',
    wasm: typeof WebAssembly === 'object' ? null : 'this browser has no WebAssembly',
    cpu: null,
  };
}
