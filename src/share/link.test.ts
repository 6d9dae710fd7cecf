import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { registry } from '../../nodes/registry';
import { presets, presetById } from '../../presets';
import { validate, type GraphDocument } from '../graph';
import { denseChainGraph } from '../editor/bench-graph';
import { decodeSharePayload, decodeSharePayloadInSteps, encodeSharePayload, MAX_SHARE_BYTES, NOT_SHARE_FORMAT, shareUrl, toBase64Url } from './link';

/** What a document means: parsed params, inferred outputs and edges, ignoring dropped defaults. */
function meaning(doc: GraphDocument) {
  const a = validate(doc, registry);
  return {
    name: doc.name,
    description: doc.description,
    nodes: doc.nodes.map((n) => ({ id: n.id, type: n.type, position: n.position, label: n.label, params: a.nodes[n.id]!.params, outputs: a.nodes[n.id]!.outputs })),
    edges: doc.edges.map((e) => [e.source, e.sourcePort, e.target, e.targetPort]),
  };
}

describe('share links', () => {
  it.each(presets.map((p) => [p.id, p.doc] as const))('round-trips the %s preset', (_id, doc) => {
    const decoded = decodeSharePayload(encodeSharePayload(doc, registry), registry);
    expect(decoded.ok).toBe(true);
    if (decoded.ok) expect(meaning(decoded.doc)).toEqual(meaning(doc));
  });

  it('keeps labels, non-default params and unknown ports', () => {
    const base = presetById('resnet-cifar')!.doc;
    const doc: GraphDocument = {
      ...base,
      nodes: base.nodes.map((n) => (n.id === 'logits' ? { ...n, label: 'Head <b>', params: { units: 10, activation: 'softmax' } } : n)),
    };
    const decoded = decodeSharePayload(encodeSharePayload(doc, registry), registry);
    expect(decoded.ok && decoded.doc.nodes.find((n) => n.id === 'logits')).toMatchObject({ label: 'Head <b>', params: { activation: 'softmax' } });
  });

  it('gives a ResNet-20 link under 2,000 characters', () => {
    const url = shareUrl(presetById('resnet-cifar')!.doc, registry, 'https://tensorloom.example.org/app/');
    expect(url.length).toBeLessThan(2000);
  });

  it('refuses a payload that inflates past 16 MB without unpacking it all', () => {
    const bomb = new TextEncoder().encode(`{"c":1,"n":"${'a'.repeat(MAX_SHARE_BYTES + 10)}"}`);
    const payload = toBase64Url(deflateSync(bomb, { level: 9 }));
    expect(payload.length).toBeLessThan(40_000);
    const decoded = decodeSharePayload(payload, registry);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.problems[0]!.message).toMatch(/larger than 16 MB/);
  });

  it('accepts a payload just under the bound', () => {
    const doc: GraphDocument = { ...presetById('blank')!.doc, description: 'x'.repeat(4000) };
    expect(decodeSharePayload(encodeSharePayload(doc, registry), registry).ok).toBe(true);
  });

  it.each([
    ['not base64url', '%%%'],
    ['random bytes', toBase64Url(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))],
    ['truncated', encodeSharePayload(presetById('resnet-cifar')!.doc, registry).slice(0, 200)],
    ['JSON that is not a graph', toBase64Url(deflateSync(new TextEncoder().encode('{"hello":1}')))],
    ['an empty string', ''],
  ])('reports %s as a problem instead of throwing', (_what, payload) => {
    const decoded = decodeSharePayload(payload, registry);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.problems.length).toBeGreaterThan(0);
  });

  it('checks the expanded document with the document schema (edge to a missing node)', () => {
    const compact = { c: 1, v: 1, n: 'bad', t: ['Dense'], N: [[0, 0, 0]], E: [[0, 0, 5, 0]] };
    const payload = toBase64Url(deflateSync(new TextEncoder().encode(JSON.stringify(compact))));
    const decoded = decodeSharePayload(payload, registry);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.problems.map((p) => p.message).join()).toMatch(/not a node/);
  });

  const linkTo = (value: unknown) => toBase64Url(deflateSync(new TextEncoder().encode(JSON.stringify(value))));

  it('opens a link holding a whole graph document as if it were a file', () => {
    const doc = presetById('dqn-driver')!.doc;
    expect(decodeSharePayload(linkTo(doc), registry)).toEqual({ ok: true, doc });
  });

  it.each([
    ['a JSON array', [1, 2]],
    ['an object of another kind', { hello: 1 }],
    ['share format with damaged fields', { c: 1, v: 'one', n: 3, t: {}, N: 'x', E: [[0]] }],
  ])('says a link with %s does not hold a graph in share format, never naming its fields', (_what, value) => {
    expect(decodeSharePayload(linkTo(value), registry)).toEqual({ ok: false, problems: [{ path: '', message: NOT_SHARE_FORMAT }] });
  });

  it('refuses a link from a newer Tensorloom in words', () => {
    const decoded = decodeSharePayload(linkTo({ c: 99 }), registry);
    expect(!decoded.ok && decoded.problems[0]!.message).toMatch(/newer Tensorloom/);
  });
});

describe('decodeSharePayloadInSteps', () => {
  it('gives what decodeSharePayload gives, for a large graph, a damaged link and a foreign payload', async () => {
    const big = encodeSharePayload(denseChainGraph(2000), registry);
    const foreign = toBase64Url(deflateSync(new TextEncoder().encode(JSON.stringify({ hello: 'world' }))));
    for (const payload of [big, big.slice(0, big.length / 2), foreign]) {
      expect(JSON.stringify(await decodeSharePayloadInSteps(payload, registry))).toBe(JSON.stringify(decodeSharePayload(payload, registry)));
    }
    const stepped = await decodeSharePayloadInSteps(big, registry);
    expect(stepped.ok && stepped.doc.nodes.length).toBe(2000);
  });
});

