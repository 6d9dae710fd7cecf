/** The from-scratch twin of a transfer run: same recipe, no starting weights, evaluated. */
import { describe, expect, it } from 'vitest';
import { compile } from '../graph';
import type { GraphDocument } from '../graph/document';
import type { SupervisedPlan } from '../graph/plan';
import { registry } from '../../nodes/registry';
import { presetDoc } from '../../presets/test-fixtures';
import type { RunListEntry } from './runs-db';
import type { RunRecord } from './runs-db-record';
import { scratchBaseline } from './transfer-baseline';

function classifier(optimizer: Record<string, unknown> = {}, edit: (doc: GraphDocument) => GraphDocument = (d) => d): SupervisedPlan {
  const doc = presetDoc('ssl-classifier-cifar');
  const withOpt = { ...doc, nodes: doc.nodes.map((n) => (n.type === 'Optimizer' ? { ...n, params: { ...n.params, ...optimizer } } : n)) };
  const r = compile(edit(withOpt), registry);
  if (!r.ok) throw new Error('does not compile');
  return r.plan as SupervisedPlan;
}
let clock = 0;
const entry = (plan: SupervisedPlan, accuracy?: number): RunListEntry => ({
  ok: true,
  run: { id: `run-${++clock}`, plan, updatedAt: clock, createdAt: clock, name: plan.name, ...(accuracy !== undefined ? { evaluation: { kind: 'classification', accuracy } } : {}) } as RunRecord,
});

describe('scratchBaseline', () => {
  const transfer = classifier({ initFromRun: 'run-ae', initMode: 'freeze' });

  it('finds the newest evaluated from-scratch run of the same graph', () => {
    const old = entry(classifier(), 0.31);
    const newer = entry(classifier(), 0.35);
    const unevaluated = entry(classifier());
    const otherTransfer = entry(classifier({ initFromRun: 'run-x' }), 0.5);
    const found = scratchBaseline(transfer, [old, newer, unevaluated, otherTransfer]);
    expect(found).toMatchObject({ kind: 'found', accuracy: 0.35 });
    expect(found?.kind === 'found' && found.run.id).toBe(newer.ok && newer.run.id);
  });

  it('says none when only other graphs or other settings were trained', () => {
    const moreEpochs = entry(classifier({ epochs: 31 }), 0.4);
    const fewerLabels = entry(
      classifier({}, (d) => ({ ...d, nodes: d.nodes.map((n) => (n.type === 'Dataset' ? { ...n, params: { ...n.params, labelsPerClass: 400 } } : n)) })),
      0.45,
    );
    expect(scratchBaseline(transfer, [moreEpochs, fewerLabels])).toEqual({ kind: 'none' });
  });

  it('asks nothing of a run that did not start from another', () => {
    expect(scratchBaseline(classifier(), [entry(classifier(), 0.3)])).toBeUndefined();
  });
});
