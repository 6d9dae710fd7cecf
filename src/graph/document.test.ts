import { describe, expect, it } from 'vitest';
import { CURRENT_VERSION, emptyDocument, MAX_DOCUMENT_BYTES, parseDocument, parseDocumentText, type Migration } from './document';
import { presetDoc } from '../../presets/test-fixtures';

describe('parseDocument', () => {
  it('accepts a preset and fills in defaults', () => {
    const doc = presetDoc('resnet-cifar');
    const { description: _omit, ...withoutDescription } = doc;
    const parsed = parseDocument(withoutDescription);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.doc.description).toBe('');
      expect(parsed.doc.nodes).toHaveLength(doc.nodes.length);
    }
  });

  it('returns every problem with its path instead of throwing', () => {
    const doc = presetDoc('dqn-driver') as unknown as Record<string, unknown> & { nodes: any[]; edges: any[] };
    doc.nodes[0].position.x = 'left';
    doc.nodes[1].id = doc.nodes[2].id;
    doc.edges[0].target = 'nowhere';
    doc.name = 42;
    const parsed = parseDocument(doc);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const paths = parsed.problems.map((p) => p.path);
    expect(paths).toContain('nodes.0.position.x');
    expect(paths).toContain('name');
    // Refinements run only once the structure is sound; fix the structure and they appear.
    doc.nodes[0].position.x = 0;
    doc.name = 'ok';
    const again = parseDocument(doc);
    expect(again.ok).toBe(false);
    if (again.ok) return;
    expect(again.problems).toEqual(
      expect.arrayContaining([
        { path: 'nodes.2.id', message: `duplicate node id "${doc.nodes[2].id}"` },
        { path: 'edges.0.target', message: 'edge target "nowhere" is not a node' },
      ]),
    );
  });

  it.each([
    [null, ''],
    [[], ''],
    ['text', ''],
    [{ format: 'something-else', version: 1 }, 'format'],
    [{ format: 'tensorloom-graph' }, 'version'],
    [{ format: 'tensorloom-graph', version: 1.5 }, 'version'],
  ])('rejects %j at path "%s"', (input, path) => {
    const parsed = parseDocument(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems[0]!.path).toBe(path);
  });

  it('refuses a file from a newer version, saying so', () => {
    const parsed = parseDocument({ ...emptyDocument(), version: CURRENT_VERSION + 1 });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems[0]!.message).toMatch(/newer Tensorloom/);
  });

  it('applies numbered migrations in order on load', () => {
    const migrations: Migration[] = [
      { from: 1, description: 'title → name', up: ({ title, ...rest }) => ({ ...rest, name: title }) },
      { from: 2, description: 'nodes gain params', up: (d) => ({ ...d, nodes: (d.nodes as object[]).map((n) => ({ params: {}, ...n })) }) },
    ];
    const old = { format: 'tensorloom-graph', version: 1, title: 'Old', nodes: [{ id: 'a', type: 'Input', position: { x: 0, y: 0 } }], edges: [] };
    const parsed = parseDocument(old, { migrations, currentVersion: 3 });
    expect(parsed).toMatchObject({ ok: true, migratedFrom: 1, doc: { version: 3, name: 'Old', nodes: [{ id: 'a', params: {} }] } });
  });

  it('reports a missing migration step instead of loading a half-migrated file', () => {
    const parsed = parseDocument({ ...emptyDocument(), version: 1 }, { migrations: [], currentVersion: 2 });
    expect(parsed).toEqual({ ok: false, problems: [{ path: 'version', message: 'no migration from version 1' }] });
  });
});

describe('parseDocumentText', () => {
  it('explains invalid JSON', () => {
    const parsed = parseDocumentText('{"format": ');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems[0]!.message).toMatch(/not valid JSON/);
  });

  it('refuses text over the size limit before parsing it', () => {
    const parsed = parseDocumentText(' '.repeat(MAX_DOCUMENT_BYTES + 1));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems[0]!.message).toMatch(/too large/);
  });

  it('round-trips a preset through JSON', () => {
    const doc = presetDoc('resnet-cifar');
    const parsed = parseDocumentText(JSON.stringify(doc));
    expect(parsed).toEqual({ ok: true, doc });
  });
});
