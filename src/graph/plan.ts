/**
 * The training plan: a frozen, JSON-safe snapshot of what to train, handed to a worker.
 * Always regenerated from the document by `compile`, never edited.
 */
import type { PortValue, Shape } from './ports';
import type { PlanOp } from './validate';

export const PLAN_FORMAT = 'tensorloom-plan';
export const PLAN_VERSION = 1;

export type Backend = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export const DEFAULT_BACKEND_PREFERENCE: readonly Backend[] = ['webgpu', 'webgl', 'wasm', 'cpu'];
/**
 * DQN acts on one observation at a time and reads the Q-values back every step; with a small MLP
 * the GPU round trip costs more than the maths, so RL plans try wasm first.
 */
export const RL_BACKEND_PREFERENCE: readonly Backend[] = ['wasm', 'webgpu', 'webgl', 'cpu'];

/**
 * A non-model node carried into the plan: its type and its settings as `validate` parsed them with
 * the node's schema (defaults filled in, bounds checked). Workers read them typed by that schema
 * through `stageSettings` (`nodes/stage-settings.ts`), without parsing them again.
 */
export interface StagePlan {
  nodeId: string;
  type: string;
  params: Record<string, unknown>;
}

export interface ModelPlan {
  /** Op ids of the model's inputs, in document order. */
  inputs: string[];
  /** Every op the output depends on, in topological order. */
  ops: PlanOp[];
  /** The op id whose value is the model's output (logits or Q-values). */
  output: string;
  inputShape: Shape;
  outputShape: Shape;
  totalParams: number;
  trainableParams: number;
  totalFlops: number;
}

interface PlanBase {
  format: typeof PLAN_FORMAT;
  version: typeof PLAN_VERSION;
  name: string;
  backendPreference: readonly Backend[];
  model: ModelPlan;
  evaluator?: StagePlan;
  /** What training holds in memory at the plan's batch size (see `memory.ts`). */
  memory: MemoryEstimate;
}

/** Where a supervised plan's starting weights come from: another run's newest checkpoint. */
export interface InitFrom {
  runId: string;
  /** `freeze`: the layers copied from the run stay fixed; `fine-tune`: they train on. */
  mode: 'fine-tune' | 'freeze';
}

export interface SupervisedPlan extends PlanBase {
  mode: 'supervised';
  /** Set when the Optimizer names a run to start from (layers matched by node id and shape). */
  initFrom?: InitFrom;
  dataset: StagePlan & { value: Extract<PortValue, { kind: 'dataset' }> };
  /** Applied in order to training batches. */
  augmentations: StagePlan[];
  loss: StagePlan;
  optimizer: StagePlan;
}

export interface ReinforcementPlan extends PlanBase {
  mode: 'rl';
  environment: StagePlan & { value: Extract<PortValue, { kind: 'environment' }> };
  agent: StagePlan;
}

export type TrainingPlan = SupervisedPlan | ReinforcementPlan;

/** What training holds at once, in bytes, at `batchSize`. */
export interface MemoryEstimate {
  batchSize: number;
  /** Where the batch size comes from, in the user's words: "the Optimizer's batch size". */
  batchSizeFrom: string;
  /** Every weight, trainable or not (batch norm statistics), times the model copies (DQN keeps a target network). */
  weightsBytes: number;
  gradientsBytes: number;
  optimizer: string;
  optimizerSlots: number;
  optimizerBytes: number;
  /** Op outputs kept for backprop and the gradients flowing back, at `batchSize`. */
  activationsBytes: number;
  /** The batch of inputs (a raw and an augmented copy when augmenting). */
  inputBatchBytes: number;
  totalBytes: number;
  /** The largest single tensor (a weight or a batch of activations) and the op it belongs to. */
  largestTensorBytes: number;
  largestTensorOp: string;
  /** The node that accounts for the most bytes, and how many. */
  dominantNodeId: string;
  dominantNodeBytes: number;
}
