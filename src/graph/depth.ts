/**
 * How deep a model may be. TF.js builds a `tf.model` by walking its graph recursively
 * (`Container`'s `buildMapOfGraph`, one JavaScript frame per layer on the longest path), so a
 * deep enough chain throws "Maximum call stack size exceeded" before training starts, whatever the
 * backend, and a retry on cpu fails the same way. The worker cannot raise its stack, so the plan
 * states the limit.
 *
 * Measured with a chain of Dense layers built from a plan and trained one step (scratch probes,
 * TF.js 4.22): in a Chromium 156 dedicated worker (a worker's stack is under half the page's)
 * 3,000 layers train and 3,500 overflow; in Node 20, 4,000 train and 4,500 overflow, on cpu and on
 * wasm alike. The limit leaves a third of the worker's headroom for other browsers and for the
 * frames below the build.
 */
import type { Diagnostic } from './diagnostics';
import type { ModelPlan } from './plan';

/** The most layers (primitive ops, the input included) on a model's longest path. */
export const MAX_MODEL_DEPTH = 2000;

/** The length of the longest op path of each op, in ops; `model.ops` is in topological order. */
export function opDepths(model: ModelPlan): Map<string, number> {
  const depth = new Map<string, number>();
  for (const op of model.ops) {
    let d = 0;
    for (const ref of op.inputs) d = Math.max(d, depth.get(ref) ?? 0);
    depth.set(op.id, d + 1);
  }
  return depth;
}

/** The model's depth: layers on its longest path. */
export function modelDepth(model: ModelPlan): number {
  return opDepths(model).get(model.output) ?? 0;
}

/**
 * An error on the node where the model's longest path passes the limit, so the user sees where
 * to cut; none when the model is shallow enough.
 */
export function depthDiagnostics(model: ModelPlan, limit = MAX_MODEL_DEPTH): Diagnostic[] {
  const depths = opDepths(model);
  const total = depths.get(model.output) ?? 0;
  if (total <= limit) return [];
  const first = model.ops.find((op) => (depths.get(op.id) ?? 0) > limit);
  const where = new Intl.NumberFormat('en-US');
  return [
    {
      severity: 'error',
      code: 'too-deep',
      ...(first ? { nodeId: first.nodeId } : {}),
      message:
        `the model is ${where.format(total)} layers deep and this layer is past ${where.format(limit)}, ` +
        `the deepest the browser can build (TF.js builds models recursively and runs out of stack): ` +
        `remove ${where.format(total - limit)} layers or more`,
    },
  ];
}
