/**
 * Small hand-built model plans for the RL tests, so they do not depend on the node library or the
 * presets: an MLP from a flat observation to Q-values.
 */
import type { ModelPlan, ReinforcementPlan } from '../../src/graph/plan';
import { DEFAULT_BACKEND_PREFERENCE, PLAN_FORMAT, PLAN_VERSION } from '../../src/graph/plan';
import type { PlanOp } from '../../src/graph/validate';
import { estimateTrainingMemory } from '../../src/graph/memory';
import { environmentParams, highwayConfig, type EnvironmentParams } from '../../src/rl/highway/config';
import { agentParams, type AgentParams } from '../../src/rl/schedule';
import { observationShape } from '../../src/rl/highway/observation';
import { Evaluator } from '../../nodes/evaluation/evaluator';

function op(id: string, spec: PlanOp['spec'], inputs: string[], shape: number[]): PlanOp {
  return { id, nodeId: id.split('/')[0]!, spec, inputs, shape, params: 0, trainableParams: 0, flops: 0 };
}

/** Input → Dense(h, relu) for each hidden size → Dense(actions). */
export function mlpPlan(inputSize: number, hidden: number[], actions: number): ModelPlan {
  const ops: PlanOp[] = [op('obs/in', { op: 'input', shape: [inputSize] }, [], [inputSize])];
  let previous = 'obs/in';
  hidden.forEach((units, k) => {
    ops.push(op(`h${k}/dense`, { op: 'dense', units, useBias: true }, [previous], [units]));
    ops.push(op(`h${k}/act`, { op: 'activation', fn: 'relu' }, [`h${k}/dense`], [units]));
    previous = `h${k}/act`;
  });
  ops.push(op('q/dense', { op: 'dense', units: actions, useBias: true }, [previous], [actions]));
  return { inputs: ['obs/in'], ops, output: 'q/dense', inputShape: [inputSize], outputShape: [actions], totalParams: 0, trainableParams: 0, totalFlops: 0 };
}

/** A highway plan with an MLP Q-network (a policy-and-value head for REINFORCE and PPO), as the compiler would emit it (settings parsed by their schemas). */
export function highwayPlan(
  options: { environment?: Partial<EnvironmentParams>; agent?: Partial<AgentParams>; hidden?: number[]; evaluator?: Record<string, unknown> } = {},
): ReinforcementPlan {
  const environment = environmentParams.parse(options.environment ?? {});
  const shape = observationShape(highwayConfig(environment));
  const agent = agentParams.parse(options.agent ?? {});
  // REINFORCE and PPO read five action logits and the value from one head.
  const model = mlpPlan(shape.reduce((a, b) => a * b, 1), options.hidden ?? [32], agent.algorithm === 'dqn' ? 5 : 6);
  return {
    format: PLAN_FORMAT,
    version: PLAN_VERSION,
    name: 'test highway',
    backendPreference: DEFAULT_BACKEND_PREFERENCE,
    mode: 'rl',
    model,
    memory: estimateTrainingMemory(model, { batchSize: agent.batchSize, batchSizeFrom: "the Agent's batch size", optimizer: 'adam', modelCopies: 2, inputCopies: 2 }),
    environment: {
      nodeId: 'env',
      type: 'Environment',
      params: environment,
      value: { kind: 'environment', name: 'highway', observationShape: shape, numActions: 5 },
    },
    agent: { nodeId: 'agent', type: 'Agent', params: agent },
    ...(options.evaluator ? { evaluator: { nodeId: 'eval', type: 'Evaluator', params: Evaluator.params.parse(options.evaluator) } } : {}),
  };
}
