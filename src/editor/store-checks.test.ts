import { beforeEach, describe, expect, it, vi } from 'vitest';
import { registry } from '../../nodes/registry';
import { presetById } from '../../presets';
import { setParams } from './actions';
import { EditorStore } from './store';

// Counts every validate and compile in the editor (the store reaches both through src/graph's index).
const calls = vi.hoisted(() => ({ validate: 0, compile: 0 }));
vi.mock('../graph/validate', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../graph/validate')>();
  return { ...actual, validate: (...args: Parameters<typeof actual.validate>) => (calls.validate++, actual.validate(...args)) };
});
vi.mock('../graph/compile', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../graph/compile')>();
  return { ...actual, compile: (...args: Parameters<typeof actual.compile>) => (calls.compile++, actual.compile(...args)) };
});

const resnet = () => presetById('resnet-cifar')!.doc;

function counted(run: () => void): { validate: number; compile: number } {
  calls.validate = 0;
  calls.compile = 0;
  run();
  return { ...calls };
}

describe('EditorStore checks: validated and compiled once per change', () => {
  let store: EditorStore;
  beforeEach(() => {
    store = new EditorStore(registry, resnet());
  });

  it('a param edit validates once and compiles once, from that same analysis', () => {
    const conv = store.getState().doc.nodes.find((n) => n.id === 'stem-conv')!;
    const before = store.getState().compiled;
    expect(counted(() => setParams(store, conv.id, { ...conv.params, filters: 32 }))).toEqual({ validate: 1, compile: 1 });
    const { analysis, compiled } = store.getState();
    expect(compiled).not.toBe(before);
    expect(compiled.analysis).toBe(analysis);
    expect(compiled.ok && compiled.plan.model.totalParams).toBe(analysis.totalParams);
    expect(counted(() => store.undo())).toEqual({ validate: 1, compile: 1 });
  });

  it('a drag neither validates nor compiles', () => {
    const before = store.getState().compiled;
    const n = counted(() => {
      for (let i = 1; i <= 10; i++) store.applyTransient({ kind: 'move', positions: { input: { x: i * 10, y: 0 } } });
      store.commitGesture('Move nodes');
    });
    expect(n).toEqual({ validate: 0, compile: 0 });
    expect(store.getState().compiled).toBe(before);
  });

  it('a rename compiles again (the plan carries the name) without validating', () => {
    expect(counted(() => store.apply({ kind: 'rename', name: 'Renamed' }, 'Rename'))).toEqual({ validate: 0, compile: 1 });
    const { compiled } = store.getState();
    expect(compiled.ok && compiled.plan.name).toBe('Renamed');
  });

  it("the GPU's limits compile again only when they can change the verdict, and never validate", () => {
    const roomy = { webgpu: { maxBufferSize: 2 ** 40, maxStorageBufferBindingSize: 2 ** 40 } };
    expect(counted(() => store.setMemoryLimits(roomy))).toEqual({ validate: 0, compile: 0 });
    const tiny = { webgpu: { maxBufferSize: 1024, maxStorageBufferBindingSize: 1024 } };
    expect(counted(() => store.setMemoryLimits(tiny))).toEqual({ validate: 0, compile: 1 });
    const issue = store.getState().compiled.diagnostics.find((d) => d.code === 'out-of-memory');
    expect(issue?.nodeId).toBeDefined();
    expect(store.getState().views[issue!.nodeId!]!.diagnostics.map((d) => d.message)).toContain(issue!.message);
  });
});
