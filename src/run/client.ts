/**
 * Picks the worker client for a plan: the supervised trainer or the RL (DQN) trainer. The panel
 * only ever sees the `RunClient` interface and the events of client-types.ts.
 */
import type { TrainingPlan } from '../graph/plan';
import { RlClient } from './client-rl';
import { SupervisedClient } from './client-supervised';
import type { RunEvent, RunClient } from './client-types';

export function createRunClient(plan: TrainingPlan, onEvent: (e: RunEvent) => void): RunClient {
  return plan.mode === 'rl' ? new RlClient(plan, onEvent) : new SupervisedClient(plan, onEvent);
}
