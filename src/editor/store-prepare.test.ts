import { describe, expect, it, vi } from 'vitest';
import { registry } from '../../nodes/registry';
import { presetById } from '../../presets';
import { emptyDocument } from '../graph';
import { EditorStore } from './store';

// Counts validation, to see that load reuses what prepare made.
const calls = vi.hoisted(() => ({ validate: 0 }));
vi.mock('../graph/validate', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../graph/validate')>();
  return { ...actual, validate: (...args: Parameters<typeof actual.validate>) => (calls.validate++, actual.validate(...args)) };
});

const resnet = () => presetById('resnet-cifar')!.doc;

describe('EditorStore.prepare: a large graph is checked in steps before load', () => {
  it('checks in steps, and load then shows the same state as a plain load, without validating again', async () => {
    const doc = resnet();
    const plain = new EditorStore(registry, emptyDocument());
    plain.load(doc);
    const stepped = new EditorStore(registry, emptyDocument());
    let steps = 0;
    const prepared = await stepped.prepare(doc, async () => void steps++);
    // Validation, compile, views; validation adds more only when it runs past its time budget.
    expect(steps).toBeGreaterThanOrEqual(3);
    calls.validate = 0;
    stepped.load(doc, prepared);
    expect(calls.validate).toBe(0);
    const [a, b] = [plain.getState(), stepped.getState()];
    expect(b.doc).toBe(doc);
    expect(b.analysis).toBe(prepared.checks.analysis);
    expect(b.views).toBe(prepared.views);
    expect(JSON.stringify(b.compiled.diagnostics)).toBe(JSON.stringify(a.compiled.diagnostics));
    expect(b.compiled.ok && b.compiled.plan.model.totalParams).toBe(a.compiled.ok && a.compiled.plan.model.totalParams);
    expect(Object.keys(b.views)).toEqual(Object.keys(a.views));
    expect(b.loadCount).toBe(1);
  });

  it("ignores what was prepared for another document or under limits no longer in force", async () => {
    const store = new EditorStore(registry, emptyDocument());
    const other = await store.prepare(emptyDocument('other'), async () => undefined);
    calls.validate = 0;
    store.load(resnet(), other);
    expect(calls.validate).toBe(1);
    expect(store.getState().doc.name).toBe('ResNet-20 on CIFAR-10');

    const doc = resnet();
    const stale = await store.prepare(doc, async () => undefined);
    store.setMemoryLimits({ webgpu: { maxBufferSize: 1024, maxStorageBufferBindingSize: 1024 } });
    calls.validate = 0;
    store.load(doc, stale);
    expect(calls.validate).toBe(1);
    // Compiled under the new limits: ResNet's tensors are past 1 kB.
    expect(store.getState().compiled.diagnostics.some((d) => d.code === 'out-of-memory')).toBe(true);
  });
});
