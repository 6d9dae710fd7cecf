import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { registry } from '../../nodes/registry';
import { compile } from './compile';
import { canConnect } from './connect';
import { parseDocument } from './document';
import { validate } from './validate';

const types = Object.keys(registry);
const paramNames = [...new Set(Object.values(registry).flatMap((d) => Object.keys(d.params.shape)))];
const portNames = [...new Set(Object.values(registry).flatMap((d) => [...d.inputs, ...d.outputs].map((p) => p.name)))];

const paramValue = fc.oneof(
  fc.integer({ min: -5, max: 300 }),
  fc.double(),
  fc.boolean(),
  fc.constantFrom('same', 'valid', 'relu', 'sgd', 'cifar10', 'synthetic', 'kinematics', 'occupancyGrid', 'onecycle'),
  fc.array(fc.integer({ min: -2, max: 40 }), { maxLength: 4 }),
  fc.anything(),
);

/** Documents that are mostly well-formed, so they reach validation and compilation. */
const documents = fc.integer({ min: 0, max: 12 }).chain((n) => {
  const ids = Array.from({ length: n }, (_, i) => `n${i}`);
  const nodeId =
    n > 0 ? fc.oneof({ weight: 30, arbitrary: fc.constantFrom(...ids) }, { weight: 1, arbitrary: fc.constant('ghost') }) : fc.constant('ghost');
  return fc.record({
    format: fc.constant('tensorloom-graph'),
    version: fc.constant(1),
    name: fc.string({ maxLength: 20 }),
    nodes: fc.tuple(
      ...ids.map((id) =>
        fc.record({
          id: fc.constant(id),
          type: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...types) }, { weight: 1, arbitrary: fc.string({ maxLength: 8 }) }),
          position: fc.record({ x: fc.integer(), y: fc.integer() }),
          params: fc.dictionary(fc.oneof(fc.constantFrom(...paramNames), fc.string({ maxLength: 6 })), paramValue, { maxKeys: 5 }),
        }),
      ),
    ),
    edges: fc.array(
      fc.record({
        id: fc.uuid(),
        source: nodeId,
        sourcePort: fc.oneof(fc.constantFrom(...portNames), fc.string({ minLength: 1, maxLength: 5 })),
        target: nodeId,
        targetPort: fc.oneof(fc.constantFrom(...portNames), fc.string({ minLength: 1, maxLength: 5 })),
      }),
      { maxLength: n === 0 ? 0 : 20 },
    ),
  });
});

describe('never throws on any input', () => {
  it('parseDocument on arbitrary values', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const result = parseDocument(value);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });

  it('parse, validate, compile and canConnect on random graphs', () => {
    let reachedCompile = 0;
    fc.assert(
      fc.property(documents, fc.nat(), (raw, pick) => {
        const parsed = parseDocument(raw);
        if (!parsed.ok) {
          expect(parsed.problems.length).toBeGreaterThan(0);
          return;
        }
        reachedCompile++;
        const analysis = validate(parsed.doc, registry);
        expect(Object.keys(analysis.nodes)).toHaveLength(parsed.doc.nodes.length);
        const result = compile(parsed.doc, registry);
        if (!result.ok) expect(result.diagnostics.some((d) => d.severity === 'error')).toBe(true);
        const [a, b] = [parsed.doc.nodes[pick % Math.max(1, parsed.doc.nodes.length)], parsed.doc.nodes[(pick >> 3) % Math.max(1, parsed.doc.nodes.length)]];
        if (a && b) {
          const verdict = canConnect(parsed.doc, registry, { source: a.id, sourcePort: 'out', target: b.id, targetPort: 'in' });
          expect(typeof verdict.ok).toBe('boolean');
        }
      }),
      { numRuns: 400 },
    );
    // The generator must mostly produce parseable documents, or the property proves little.
    expect(reachedCompile).toBeGreaterThan(100);
  });
});
