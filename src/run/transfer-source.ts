/**
 * Transfer seen from the page: which runs in this browser a graph can start from, which of its
 * layers would be copied from one (by node id and weight shapes, the worker's rule in
 * workers/supervised/transfer.ts, worked out here from the two plans with no weights read), and
 * the source's newest checkpoint, or why there is none, in the user's words.
 */
import type { ModelPlan } from '../graph/plan';
import { expectedTfjsWeights } from '../export/pytorch/tfjs-weights';
import { tfjsLayerName } from '../export/pytorch/names';
import type { CheckpointRecord, RunListEntry, RunRepository } from './runs-db';
import type { RunRecord } from './runs-db-record';

/** What a graph would take from a source run: node ids, in the graph's order. */
export interface LayerMatch {
  /** Nodes whose every weight the source has, with the same shape. */
  matched: string[];
  /** Nodes with weights that start fresh, and why. */
  fresh: { nodeId: string; why: string }[];
}

/** A source run's checkpoint, or why the run cannot be started from. */
export type SourceLookup = { ok: true; run: RunRecord; checkpoint: CheckpointRecord } | { ok: false; message: string };

/** A run as the picker names it: its name, when it was made, and a short id. */
export function runLabel(run: Pick<RunRecord, 'id' | 'name' | 'createdAt'>): string {
  const when = new Date(run.createdAt).toLocaleString('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  return `${run.name} · ${when} · ${run.id.slice(0, 8)}`;
}

/** Supervised runs with stored weights, newest first; `exclude` is the run on screen, which cannot be its own source. */
export function transferCandidates(entries: readonly RunListEntry[], exclude?: string): RunRecord[] {
  return entries
    .flatMap((e) => (e.ok ? [e.run] : []))
    .filter((r) => r.mode === 'supervised' && r.lastCheckpoint !== undefined && r.id !== exclude)
    .sort((a, b) => b.createdAt - a.createdAt);
}

/** Which nodes of `target` would start from `source`'s weights: a layer is copied whole, when its node id and every weight shape agree. */
export function matchLayers(source: ModelPlan, target: ModelPlan): LayerMatch {
  const have = new Map(expectedTfjsWeights(source).map((w) => [w.name, w.shape.join('×')]));
  const nodeOfLayer = new Map(target.ops.map((op) => [tfjsLayerName(op.id), op.nodeId]));
  const problems = new Map<string, string[]>();
  for (const w of expectedTfjsWeights(target)) {
    const layer = w.name.slice(0, w.name.lastIndexOf('/'));
    const nodeId = nodeOfLayer.get(layer) ?? layer;
    const list = problems.get(nodeId) ?? [];
    problems.set(nodeId, list);
    const theirs = have.get(w.name);
    const mine = w.shape.join('×');
    if (theirs === undefined) list.push('not in the source run');
    else if (theirs !== mine) list.push(`${w.name.slice(layer.length + 1)} is ${theirs} there, ${mine} here`);
  }
  const out: LayerMatch = { matched: [], fresh: [] };
  for (const [nodeId, list] of problems) {
    if (list.length === 0) out.matched.push(nodeId);
    else out.fresh.push({ nodeId, why: [...new Set(list)].join('; ') });
  }
  return out;
}

/** The run `runId` and its newest checkpoint, or why a graph cannot start from it. */
export async function lookupTransferSource(repo: RunRepository, runId: string): Promise<SourceLookup> {
  const entry = await repo.get(runId);
  if (!entry) {
    return {
      ok: false,
      message: `Run ${runId} is not in this browser (it was deleted, or these weights came from another browser): pick another run in the Optimizer's “Initialise from run”, or clear it to train from scratch`,
    };
  }
  if (!entry.ok) return { ok: false, message: `Run ${runId} is stored but cannot be read (${entry.problem}): pick another run to start from` };
  const run = entry.run;
  if (run.mode !== 'supervised') return { ok: false, message: `Run “${run.name}” trains a driving agent: only an image model's layers can be carried into this graph` };
  const checkpoint = await repo.latestCheckpoint(runId);
  if (!checkpoint) return { ok: false, message: `Run “${run.name}” has no stored weights yet (it has not finished an epoch): let it train an epoch, or pick another run` };
  return { ok: true, run, checkpoint };
}
