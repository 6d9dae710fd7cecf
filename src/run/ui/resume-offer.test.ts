import { describe, expect, it } from 'vitest';
import { registry } from '../../../nodes/registry';
import { presetById } from '../../../presets';
import { compile } from '../../graph';
import type { GraphDocument } from '../../graph/document';
import type { TrainingPlan } from '../../graph/plan';
import type { RunRecord } from '../runs-db-record';
import { checkpointWords, resumeOffer, resumePlan, savedWords } from './resume-offer';

function resnet(edit: (doc: GraphDocument) => void = () => undefined): TrainingPlan {
  const doc = structuredClone(presetById('resnet-cifar')!.doc);
  edit(doc);
  const r = compile(doc, registry);
  if (!r.ok) throw new Error('does not compile');
  return r.plan;
}

const setParam = (id: string, key: string, value: unknown) => (doc: GraphDocument) => {
  const node = doc.nodes.find((n) => n.id === id)!;
  node.params = { ...node.params, [key]: value };
};

function record(plan: TrainingPlan, patch: Partial<RunRecord>): RunRecord {
  return { plan, mode: plan.mode, status: 'failed', progress: { epoch: 1, epochs: 3, step: 14, steps: 30 }, lastCheckpoint: 1, lastCheckpointStep: 10, ...patch } as RunRecord;
}

describe('resume offer', () => {
  it('resumes a failed run with the graph’s fixed settings when its model is unchanged, and says so', () => {
    const diverged = record(resnet(), {});
    const fixed = resnet(setParam('optimizer', 'learningRate', 0.01));
    expect(resumePlan(diverged, fixed)).toBe(fixed);
    expect(resumeOffer(diverged, fixed)).toMatch(/with the graph’s current settings, so changes made since the failure apply/);
  });

  it('keeps the run’s own plan when the model changed, or the run was only interrupted', () => {
    const own = resnet();
    const wider = resnet(setParam('stem-conv', 'filters', 32));
    expect(resumePlan(record(own, {}), wider)).toBe(own);
    expect(resumeOffer(record(own, {}), wider)).toMatch(/run’s own settings/);
    const fixed = resnet(setParam('optimizer', 'learningRate', 0.01));
    expect(resumePlan(record(own, { status: 'interrupted' }), fixed)).toBe(own);
  });

  it('names a stop point inside an epoch apart from an epoch’s end', () => {
    const plan = resnet();
    expect(checkpointWords(record(plan, { lastCheckpoint: 1, lastCheckpointStep: 10 }))).toBe('checkpoint after epoch 1');
    expect(checkpointWords(record(plan, { lastCheckpoint: 1, lastCheckpointStep: 18 }))).toBe('checkpoint at step 18 (in epoch 2)');
  });

  it('says where the run is saved for the bar: nothing before the first checkpoint', () => {
    const plan = resnet();
    expect(savedWords(record(plan, { lastCheckpoint: undefined, lastCheckpointStep: undefined }))).toBeUndefined();
    expect(savedWords(record(plan, { lastCheckpoint: 1, lastCheckpointStep: 10 }))).toBe('after epoch 1');
    expect(savedWords(record(plan, { lastCheckpoint: 1, lastCheckpointStep: 18 }))).toBe('at step 18 (in epoch 2)');
  });
});
