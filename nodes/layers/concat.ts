import { z } from 'zod';
import { defineNode } from '../../src/graph/node-definition';
import { connectedShapes, listShapes, MERGE_INPUTS, MERGE_PORTS } from './shape-checks';

/** Joins two to four tensors along the last axis (channels of a feature map). */
export const Concat = defineNode({
  type: 'Concat',
  title: 'Concat',
  category: 'layers',
  role: 'layer',
  description: 'Joins its inputs along the last axis; every other dimension must match.',
  params: z.object({}),
  inputs: MERGE_INPUTS,
  outputs: [{ name: 'out', label: 'out', kind: 'tensor' }],
  summary: () => 'join last axis',
  check(_p, inputs) {
    const given = connectedShapes(MERGE_PORTS, inputs);
    const first = given[0];
    const fits = (s: readonly number[]) =>
      first !== undefined && s.length === first.shape.length && s.slice(0, -1).every((d, i) => d === first.shape[i]);
    const odd = given.find((g) => !fits(g.shape));
    if (!odd) return [];
    return [
      {
        severity: 'error',
        code: 'shape-mismatch',
        port: odd.port,
        message: `Concat joins on the last axis and needs the other dimensions equal, got ${listShapes(given.map((g) => g.shape))}`,
      },
    ];
  },
  lower(_p, inputs, b) {
    const refs = MERGE_PORTS.flatMap((port) => (inputs[port] ? [inputs[port]] : []));
    return { out: b.add('concat', { op: 'concat' }, refs) };
  },
});
