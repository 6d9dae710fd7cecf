/**
 * How the workers read a plan's stage settings: one function for every stage. `validate` parsed
 * each node's params with its schema (defaults filled in, bounds checked) and `compile` carried the
 * result into the plan, so reading it back is a typed lookup, not a second parse. The type of each
 * stage is its node schema's `z.infer`, so a field added to a schema reaches the workers typed.
 */
import type { z } from 'zod';
import type { StagePlan, TrainingPlan } from '../src/graph/plan';
import { Augmentation } from './data/augmentation';
import { Dataset } from './data/dataset';
import { Evaluator } from './evaluation/evaluator';
import { Agent } from './rl/agent';
import { Environment } from './rl/environment';
import { Loss } from './training/loss';
import { Optimizer } from './training/optimizer';

/** The node type behind each stage field of a plan. */
const STAGE_NODES = {
  dataset: Dataset,
  augmentations: Augmentation,
  loss: Loss,
  optimizer: Optimizer,
  environment: Environment,
  agent: Agent,
  evaluator: Evaluator,
} as const;

type StageNodes = typeof STAGE_NODES;

/** A stage field of a plan: `optimizer`, `agent`, `augmentations`, … */
export type StageName = keyof StageNodes;

/** One stage's settings, typed by its node's schema. */
export type StageSettings<K extends StageName> = z.infer<StageNodes[K]['params']>;

/** What `stageSettings(plan, stage)` returns: a list for `augmentations`, possibly none for the evaluator. */
export type SettingsIn<P, K extends StageName> = K extends keyof P
  ? P[K] extends readonly unknown[]
    ? StageSettings<K>[]
    : undefined extends P[K]
      ? StageSettings<K> | undefined
      : StageSettings<K>
  : never;

/** A plan the worker cannot train as it stands (not one `compile` of this version made). */
export class PlanError extends Error {
  override readonly name = 'PlanError';
}

function settingsOf<K extends StageName>(stage: StagePlan, name: K): StageSettings<K> {
  const node = STAGE_NODES[name];
  if (stage.type !== node.type) throw new PlanError(`the plan's ${name} stage holds a ${stage.type} node instead of the ${node.title}`);
  // A plan stored by an earlier version (a run resumed after the app updated) may lack a setting
  // added since: it gets the schema's default, as a node placed today would — the run must stay
  // resumable. Only then is it parsed again; a value the schema refuses is named.
  const missing = Object.keys(node.params.shape).some((key) => !Object.hasOwn(stage.params, key));
  if (missing) {
    const filled = node.params.safeParse(stage.params);
    if (!filled.success) {
      const issue = filled.error.issues[0];
      throw new PlanError(`this plan's ${node.title} has a setting this version cannot read (${issue?.path.join('.')}: ${issue?.message})`);
    }
    return filled.data as StageSettings<K>;
  }
  return stage.params as StageSettings<K>;
}

/**
 * The settings of one stage of a compiled plan, typed by its node's schema:
 * `stageSettings(plan, 'optimizer')` is an `OptimizerSettings`, `stageSettings(plan, 'augmentations')`
 * one settings object per Augmentation in order, `stageSettings(plan, 'evaluator')` undefined when
 * the graph has no Evaluator. A stored plan lacking a setting added since gets its default. Throws
 * {@link PlanError} when the stage is not the node it should be or holds a value its schema refuses.
 */
export function stageSettings<P extends TrainingPlan, K extends StageName & keyof P>(plan: P, stage: K): SettingsIn<P, K> {
  const value = plan[stage] as StagePlan | readonly StagePlan[] | undefined;
  if (value === undefined) return undefined as SettingsIn<P, K>;
  const read = (s: StagePlan) => settingsOf(s, stage);
  return (Array.isArray(value) ? value.map(read) : read(value as StagePlan)) as SettingsIn<P, K>;
}

const defaults = new Map<StageName, unknown>();

/**
 * A stage's defaults, as its schema fills them in for a node left as placed: what a run uses for a
 * stage the graph leaves out (a supervised run without an Evaluator still shows sample predictions).
 */
export function stageDefaults<K extends StageName>(stage: K): StageSettings<K> {
  if (!defaults.has(stage)) defaults.set(stage, Object.freeze(STAGE_NODES[stage].params.parse({})));
  return defaults.get(stage) as StageSettings<K>;
}
