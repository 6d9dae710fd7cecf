import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { registry } from '../../nodes/registry';
import { presetById } from '../../presets';
import { compile, type GraphDocument } from '../graph';
import { canonicalJson, hashPlan } from './runs-db-hash';

function planHashOf(doc: GraphDocument): Promise<string> {
  const r = compile(doc, registry);
  if (!r.ok) throw new Error('does not compile');
  return hashPlan(r.plan);
}

describe('canonicalJson', () => {
  it('sorts keys at every level, keeps array order, drops undefined', () => {
    expect(canonicalJson({ b: 1, a: [3, { d: 1, c: undefined, b: null }] })).toBe('{"a":[3,{"b":null,"d":1}],"b":1}');
    expect(canonicalJson({ z: 'é', y: true })).toBe('{"y":true,"z":"é"}');
  });

  it('refuses non-finite numbers instead of hashing them as null', () => {
    expect(() => canonicalJson({ lr: NaN })).toThrow(/non-finite/);
  });
});

describe('hashPlan', () => {
  it('is the SHA-256 of the canonical JSON', async () => {
    const value = { b: [1, 2], a: 'x' };
    const expected = createHash('sha256').update('{"a":"x","b":[1,2]}').digest('hex');
    expect(await hashPlan(value)).toBe(expected);
  });

  it('ignores node positions and key order, changes with a training setting', async () => {
    const doc = presetById('resnet-cifar')!.doc;
    const base = await planHashOf(doc);
    const moved: GraphDocument = { ...doc, nodes: doc.nodes.map((n) => ({ ...n, position: { x: n.position.x + 50, y: n.position.y } })) };
    expect(await planHashOf(moved)).toBe(base);
    const reordered: GraphDocument = { ...doc, nodes: doc.nodes.map((n) => Object.fromEntries(Object.entries(n).reverse()) as typeof n) };
    expect(await planHashOf(reordered)).toBe(base);
    const faster: GraphDocument = {
      ...doc,
      nodes: doc.nodes.map((n) => (n.id === 'optimizer' ? { ...n, params: { ...n.params, batchSize: 8 } } : n)),
    };
    expect(await planHashOf(faster)).not.toBe(base);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
  });
});
