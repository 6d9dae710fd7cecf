import { describe, expect, it } from 'vitest';
import { registry } from '../../nodes/registry';
import { presetById } from '../../presets';
import { MAX_DOCUMENT_BYTES } from '../graph';
import { documentToJson, exportFileName, importDocumentFile, importDocumentText } from './file';

const resnet = () => presetById('resnet-cifar')!.doc;

describe('JSON import/export', () => {
  it('export then import gives the same document', () => {
    const result = importDocumentText(documentToJson(resnet()), registry);
    expect(result).toEqual({ ok: true, doc: resnet() });
  });

  it('names the file after the project, without characters file systems reject', () => {
    expect(exportFileName('ResNet-20 on CIFAR-10')).toBe('ResNet-20 on CIFAR-10.tensorloom.json');
    expect(exportFileName('a/b:c*<img src=x>')).toBe('a b c img src=x.tensorloom.json');
    expect(exportFileName('   ')).toBe('graph.tensorloom.json');
  });

  it.each([
    ['malformed JSON', '{"format": "tensorloom-graph",', /not valid JSON/],
    ['not a graph', '[1,2,3]', /not a JSON object/],
    ['another format', '{"format":"something-else"}', /not a Tensorloom graph/],
    ['a newer version', JSON.stringify({ ...resnet(), version: 99 }), /newer Tensorloom/],
  ])('refuses %s with a clear problem', (_what, text, message) => {
    const result = importDocumentText(text, registry);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems.map((p) => p.message).join('\n')).toMatch(message);
  });

  it('lists every schema problem with its path', () => {
    const doc = resnet();
    const badFields = { ...doc, name: 7, nodes: doc.nodes.map((n, i) => (i === 2 ? { ...n, position: { x: 'left', y: 0 } } : n)) };
    const fields = importDocumentText(JSON.stringify(badFields), registry);
    expect(fields.ok).toBe(false);
    if (!fields.ok) expect(fields.problems.map((p) => p.path)).toEqual(['name', 'nodes.2.position.x']);
    const duplicate = importDocumentText(JSON.stringify({ ...doc, edges: [...doc.edges, { ...doc.edges[0]!, target: 'ghost' }] }), registry);
    expect(duplicate.ok).toBe(false);
    if (!duplicate.ok) expect(duplicate.problems.map((p) => p.path)).toEqual(['edges.20.id', 'edges.20.target']);
  });

  it('refuses unknown node types by path', () => {
    const doc = resnet();
    const bad = { ...doc, nodes: doc.nodes.map((n) => (n.id === 'pool' ? { ...n, type: 'QuantumPool' } : n)) };
    const result = importDocumentText(JSON.stringify(bad), registry);
    expect(result).toEqual({ ok: false, problems: [{ path: 'nodes.15.type', message: 'unknown node type "QuantumPool"' }] });
  });

  it('refuses wiring the canvas would refuse (wrong kind, loop)', () => {
    const doc = resnet();
    const wrongKind = { ...doc, edges: [...doc.edges, { id: 'x', source: 'data', sourcePort: 'data', target: 'logits', targetPort: 'in' }] };
    const result = importDocumentText(JSON.stringify(wrongKind), registry);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]!.message).toMatch(/already connected|takes a tensor/);
    const loop = { ...doc, edges: [...doc.edges.filter((e) => e.id !== 'e3'), { id: 'x', source: 'stem-relu', sourcePort: 'out', target: 'stem-conv', targetPort: 'in' }] };
    const looped = importDocumentText(JSON.stringify(loop), registry);
    expect(looped.ok).toBe(false);
    if (!looped.ok) expect(looped.problems[0]!.message).toMatch(/loop/);
  });

  it('keeps markup in names as plain text (rendering is the view’s job)', () => {
    const doc = { ...resnet(), name: '<img src=x onerror=alert(1)>' };
    const result = importDocumentText(JSON.stringify(doc), registry);
    expect(result.ok && result.doc.name).toBe('<img src=x onerror=alert(1)>');
  });

  it('refuses a 17 MB file before reading it', async () => {
    const big = new Blob(['x'.repeat(17_000_000)]);
    expect(big.size).toBeGreaterThan(MAX_DOCUMENT_BYTES);
    const result = await importDocumentFile(big, registry);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]!.message).toBe('the graph is too large: 17.0 MB as a file (limit 16 MB)');
  });
});
