/**
 * Typed reads of a plan's stage params. The plan carries every param with its default filled in
 * (the node schemas did that in `validate`), so a missing or mistyped one is a broken plan.
 */
import type { StagePlan } from '../../graph/plan';
import { ExportError } from './model-py';

export function num(stage: StagePlan, key: string): number {
  const v = stage.params[key];
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ExportError(`${stage.type} "${stage.nodeId}": ${key} is not a number in the plan`);
  return v;
}

/**
 * A setting newer than some stored plans (a run's plan is kept as it was compiled): absent, it
 * reads as the node's default `absent`, which is what those runs trained with.
 */
export function numOr(stage: StagePlan | undefined, key: string, absent: number): number {
  return stage === undefined || stage.params[key] === undefined ? absent : num(stage, key);
}

/** {@link numOr} for a true / false setting. */
export function boolOr(stage: StagePlan | undefined, key: string, absent: boolean): boolean {
  return stage === undefined || stage.params[key] === undefined ? absent : bool(stage, key);
}

export function str<T extends string>(stage: StagePlan, key: string, allowed: readonly T[]): T {
  const v = stage.params[key];
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new ExportError(`${stage.type} "${stage.nodeId}": ${key} is ${JSON.stringify(v)}, the PyTorch export knows ${allowed.join(', ')}`);
  }
  return v as T;
}

export function bool(stage: StagePlan, key: string): boolean {
  const v = stage.params[key];
  if (typeof v !== 'boolean') throw new ExportError(`${stage.type} "${stage.nodeId}": ${key} is not true or false in the plan`);
  return v;
}
