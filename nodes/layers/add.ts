import { z } from 'zod';
import type { NodeIssue, QuickFix } from '../../src/graph/diagnostics';
import { defineNode } from '../../src/graph/node-definition';
import { shapesEqual, type Shape } from '../../src/graph/ports';
import { connectedShapes, listShapes, MERGE_INPUTS, MERGE_PORTS } from './shape-checks';

/** Largest stride the suggested Conv2D accepts. */
const MAX_PROJECTION_STRIDE = 8;

/**
 * A 1×1 convolution that maps `other` onto `target`'s shape, if one exists: both feature maps,
 * `other` larger in height and width by the same whole factor (or equal). That is the usual
 * residual-shortcut mistake: the main path strided or widened, the skip path did not.
 */
export function projectionFix(target: Shape, other: Shape, port: string): QuickFix | undefined {
  if (target.length !== 3 || other.length !== 3) return undefined;
  const [h, w, channels] = target as [number, number, number];
  const factor = other[0]! / h;
  if (!Number.isInteger(factor) || factor < 1 || factor > MAX_PROJECTION_STRIDE || other[1]! !== w * factor) return undefined;
  return {
    kind: 'insert-node',
    label: 'Insert 1×1 projection',
    nodeType: 'Conv2D',
    params: { kernelSize: 1, filters: channels, stride: factor, padding: 'same', useBias: false },
    targetPort: port,
  };
}

/** Element-wise sum of two to four tensors of one shape: the join of a residual connection. */
export const Add = defineNode({
  type: 'Add',
  title: 'Add',
  category: 'layers',
  role: 'layer',
  description: 'Sums its inputs element-wise; they must have equal shapes. The join of a skip connection.',
  params: z.object({}),
  inputs: MERGE_INPUTS,
  outputs: [{ name: 'out', label: 'out', kind: 'tensor' }],
  summary: () => 'a + b',
  check(_p, inputs) {
    const given = connectedShapes(MERGE_PORTS, inputs);
    const first = given[0];
    const odd = given.find((g) => first && !shapesEqual(g.shape, first.shape));
    if (!first || !odd) return [];
    const fix = projectionFix(first.shape, odd.shape, odd.port);
    const issue: NodeIssue = {
      severity: 'error',
      code: 'shape-mismatch',
      port: odd.port,
      message: `Add needs equal shapes, got ${listShapes(given.map((g) => g.shape))}`,
    };
    return [fix ? { ...issue, fix } : issue];
  },
  lower(_p, inputs, b) {
    const refs = MERGE_PORTS.flatMap((port) => (inputs[port] ? [inputs[port]] : []));
    return { out: b.add('add', { op: 'add' }, refs) };
  },
});
