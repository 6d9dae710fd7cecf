import { describe, expect, it } from 'vitest';
import { registry } from '../../nodes/registry';
import { presetById } from '../../presets';
import { emptyDocument, type GraphDocument } from '../graph';
import { addNode, applyQuickFix, connect, deleteSelection, duplicateSelection, insertCopies, setParams } from './actions';
import { HISTORY_LIMIT } from './history';
import { EditorStore } from './store';

const resnet = (): GraphDocument => presetById('resnet-cifar')!.doc;

function outputOf(store: EditorStore, nodeId: string): string | undefined {
  return store.getState().views[nodeId]?.outputs[0]?.value;
}

describe('EditorStore', () => {
  it('applies edits immutably and undoes/redoes them exactly', () => {
    const original = resnet();
    const frozen = JSON.stringify(original);
    const store = new EditorStore(registry, original);
    expect(setParams(store, 'stem-conv', { ...original.nodes[3]!.params, filters: 32 })).toBe(true);
    expect(outputOf(store, 'stem-conv')).toBe('[32,32,32]');
    expect(JSON.stringify(original)).toBe(frozen);
    expect(store.undo()).toBe(true);
    expect(store.getState().doc).toBe(original);
    expect(outputOf(store, 'stem-conv')).toBe('[32,32,16]');
    expect(store.redo()).toBe(true);
    expect(outputOf(store, 'stem-conv')).toBe('[32,32,32]');
    expect(store.redo()).toBe(false);
  });

  it('propagates a param change to shapes downstream', () => {
    const store = new EditorStore(registry, resnet());
    const block = store.getState().doc.nodes.find((n) => n.id === 'stage3-block1')!;
    setParams(store, block.id, { ...block.params, stride: 1 });
    expect(outputOf(store, 'stage3-block3')).toBe('[16,16,64]');
    expect(outputOf(store, 'pool')).toBe('[64]');
  });

  it(`keeps at least 100 undo steps (limit ${HISTORY_LIMIT})`, () => {
    const store = new EditorStore(registry, emptyDocument());
    for (let i = 0; i < 150; i++) store.apply({ kind: 'rename', name: `name ${i}` }, 'Rename');
    let undone = 0;
    while (store.undo()) undone++;
    expect(undone).toBe(150);
    expect(store.getState().doc.name).toBe('Untitled');
  });

  it('records a drag as one undo step and does not re-validate while dragging', () => {
    const store = new EditorStore(registry, resnet());
    const analysis = store.getState().analysis;
    for (let i = 1; i <= 10; i++) store.applyTransient({ kind: 'move', positions: { input: { x: i * 10, y: 0 } } });
    expect(store.getState().analysis).toBe(analysis);
    store.commitGesture('Move nodes');
    expect(store.getState().history.past).toHaveLength(1);
    store.undo();
    expect(store.getState().doc.nodes.find((n) => n.id === 'input')!.position).toEqual({ x: 0, y: 260 });
  });

  it('refuses edits when read-only', () => {
    const store = new EditorStore(registry, resnet(), { readOnly: true });
    expect(store.apply({ kind: 'rename', name: 'x' }, 'Rename')).toBe(false);
    expect(addNode(store, 'Dense', { x: 0, y: 0 })).toBeNull();
    expect(store.getState().doc.name).toBe('ResNet-20 on CIFAR-10');
  });
});

describe('editor actions', () => {
  it('adds, connects and refuses a wrong connection with its reason', () => {
    const store = new EditorStore(registry, emptyDocument());
    const data = addNode(store, 'Dataset', { x: 0, y: 0 })!;
    const dense = addNode(store, 'Dense', { x: 0, y: 200 })!;
    const verdict = connect(store, { source: data, sourcePort: 'data', target: dense, targetPort: 'in' });
    expect(verdict).toEqual({ ok: false, reason: expect.stringContaining('takes a tensor') });
    const input = addNode(store, 'Input', { x: 0, y: 100 })!;
    expect(connect(store, { source: data, sourcePort: 'data', target: input, targetPort: 'source' }).ok).toBe(true);
    expect(connect(store, { source: input, sourcePort: 'out', target: dense, targetPort: 'in' }).ok).toBe(true);
    expect(store.getState().doc.edges).toHaveLength(2);
  });

  it('deletes a node with its edges, and undo brings both back', () => {
    const store = new EditorStore(registry, resnet());
    store.select(['pool']);
    deleteSelection(store);
    const doc = store.getState().doc;
    expect(doc.nodes.some((n) => n.id === 'pool')).toBe(false);
    expect(doc.edges.some((e) => e.source === 'pool' || e.target === 'pool')).toBe(false);
    store.undo();
    expect(store.getState().doc.edges).toHaveLength(20);
  });

  it('duplicates the selection with fresh ids and the edges between the copies', () => {
    const store = new EditorStore(registry, resnet());
    store.select(['stem-conv', 'stem-bn']);
    const ids = duplicateSelection(store);
    expect(ids).toHaveLength(2);
    const doc = store.getState().doc;
    expect(new Set(doc.nodes.map((n) => n.id)).size).toBe(doc.nodes.length);
    expect(doc.edges.filter((e) => ids.includes(e.source) && ids.includes(e.target))).toHaveLength(1);
    expect([...store.getState().selectedNodes]).toEqual(ids);
  });

  it('pastes copies next to the originals', () => {
    const store = new EditorStore(registry, resnet());
    const node = store.getState().doc.nodes[0]!;
    const [id] = insertCopies(store, [node], [], { x: 40, y: 40 }, 'Paste');
    const copy = store.getState().doc.nodes.find((n) => n.id === id)!;
    expect(copy.position).toEqual({ x: node.position.x + 40, y: node.position.y + 40 });
    expect(copy.type).toBe(node.type);
  });

  it('applies the Dense quick fix by inserting GlobalAvgPool on the feeding edge', () => {
    const store = new EditorStore(registry, resnet());
    store.select(['pool']);
    deleteSelection(store);
    connect(store, { source: 'stage3-block3', sourcePort: 'out', target: 'logits', targetPort: 'in' });
    const issue = store.getState().views.logits!.diagnostics.find((d) => d.fix);
    expect(issue?.fix).toMatchObject({ nodeType: 'GlobalAvgPool' });
    const result = applyQuickFix(store, 'logits', issue!.fix!);
    expect(result.ok).toBe(true);
    expect(store.getState().views.logits!.status).toBe('ok');
    expect(outputOf(store, 'logits')).toBe('[10]');
  });

  it('applies the Add quick fix: a 1×1 projection makes the shapes agree', () => {
    const store = new EditorStore(registry, emptyDocument());
    const input = addNode(store, 'Input', { x: 0, y: 0 })!;
    const conv = addNode(store, 'Conv2D', { x: 0, y: 100 })!;
    setParams(store, conv, { filters: 32, stride: 2 });
    const add = addNode(store, 'Add', { x: 0, y: 200 })!;
    connect(store, { source: input, sourcePort: 'out', target: conv, targetPort: 'in' });
    connect(store, { source: conv, sourcePort: 'out', target: add, targetPort: 'a' });
    connect(store, { source: input, sourcePort: 'out', target: add, targetPort: 'b' });
    const issue = store.getState().views[add]!.diagnostics.find((d) => d.fix);
    expect(issue?.fix?.label).toMatch(/projection/);
    applyQuickFix(store, add, issue!.fix!);
    expect(store.getState().views[add]!.status).toBe('ok');
    expect(outputOf(store, add)).toBe('[16,16,32]');
  });
});
