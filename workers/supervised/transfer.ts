/**
 * Transfer: a new model starts from another run's trained layers. Layers are matched by name,
 * which the model builder derives from the op id and so from the graph's node id: the same node
 * id in two graphs is the same layer when its weights have the same shapes. A layer is copied
 * whole or not at all; with `freeze` the copied layers stop training (and a frozen batch norm
 * normalises with its stored statistics), so only the fresh layers learn: a linear probe when
 * those are the head alone.
 */
import * as tf from '@tensorflow/tfjs';
import type { InitFrom, ModelPlan } from '../../src/graph/plan';
import type { Checkpoint } from '../../src/protocol/checkpoint';
import { PlanError } from '../../nodes/stage-settings';
import { layerName } from '../model/model-builder';

/** What a transfer copied and what it left as initialised. Node ids, in the model's order. */
export interface TransferReport {
  runId: string;
  mode: InitFrom['mode'];
  /** Nodes whose every layer with weights was copied. */
  matched: string[];
  /** Nodes with a layer the source run does not have (new nodes, a new head). */
  fresh: string[];
  /** Layers left fresh because the source's weights have other shapes: "node: weight [source] ≠ [here]". */
  mismatched: string[];
  /** Weights copied, in values. */
  copiedValues: number;
}

/**
 * Copies `checkpoint`'s weights into `model` where node id and shapes agree, freezing the copied
 * layers when `from.mode` is `freeze`. Call before the optimizer collects the trainable weights.
 * Throws {@link PlanError} when nothing matches: training "from" a run that gave nothing would
 * silently be training from scratch.
 */
export function transferWeights(model: tf.LayersModel, plan: ModelPlan, checkpoint: Checkpoint, from: InitFrom): TransferReport {
  const nodeOf = new Map(plan.ops.map((op) => [layerName(op.id), op.nodeId]));
  const named = tf.io.decodeWeights(checkpoint.weightData, checkpoint.weightSpecs);
  const report: TransferReport = { runId: from.runId, mode: from.mode, matched: [], fresh: [], mismatched: [], copiedValues: 0 };
  const copied = new Set<string>();
  const left = new Set<string>();
  try {
    for (const layer of model.layers) {
      if (layer.weights.length === 0) continue;
      const nodeId = nodeOf.get(layer.name) ?? layer.name;
      const sources = layer.weights.map((w) => named[w.originalName]);
      const misfit = layer.weights.flatMap((w, i) => {
        const t = sources[i];
        return t && t.shape.join(',') !== w.shape.join(',') ? [`${nodeId}: ${w.originalName} [${t.shape.join(',')}] ≠ [${w.shape.join(',')}]`] : [];
      });
      if (sources.some((t) => !t) || misfit.length > 0) {
        report.mismatched.push(...misfit);
        left.add(nodeId);
        continue;
      }
      layer.setWeights(sources as tf.Tensor[]);
      report.copiedValues += sources.reduce((n, t) => n + t!.size, 0);
      copied.add(nodeId);
      if (from.mode === 'freeze') layer.trainable = false;
    }
  } finally {
    tf.dispose(Object.values(named));
  }
  report.matched = [...copied].filter((id) => !left.has(id));
  report.fresh = [...left];
  if (copied.size === 0) {
    const why = report.mismatched.length > 0 ? `; shapes differ: ${report.mismatched.slice(0, 3).join('; ')}` : '';
    throw new PlanError(`none of run ${from.runId}'s layers fit this graph (layers are matched by node id and shape)${why}`);
  }
  return report;
}

/** The report in one line for the run panel's status. */
export function describeTransfer(r: TransferReport): string {
  const list = (ids: string[]) => (ids.length > 6 ? `${ids.slice(0, 6).join(', ')} and ${ids.length - 6} more` : ids.join(', '));
  const parts = [`started from run ${r.runId}: ${r.matched.length} layer${r.matched.length === 1 ? '' : 's'} ${r.mode === 'freeze' ? 'copied and frozen' : 'copied'} (${list(r.matched)})`];
  if (r.fresh.length > 0) parts.push(`left fresh: ${list(r.fresh)}`);
  if (r.mismatched.length > 0) parts.push(`shapes differ: ${r.mismatched.slice(0, 3).join('; ')}`);
  return parts.join('; ');
}
