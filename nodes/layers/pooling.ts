/** What MaxPool and AvgPool share: the window params, the summary and the lowering. */
import { z } from 'zod';
import type { OpBuilder } from '../../src/graph/node-definition';

export const poolParams = z.object({
  poolSize: z.number().int().min(1).max(8).default(2),
  stride: z.number().int().min(1).max(8).default(2),
  padding: z.enum(['same', 'valid']).default('valid'),
});

export type PoolParams = z.infer<typeof poolParams>;

export function poolSummary(p: PoolParams): string {
  return `${p.poolSize}×${p.poolSize}${p.stride !== p.poolSize ? `, stride ${p.stride}` : ''}${p.padding === 'same' ? ', same' : ''}`;
}

export function lowerPool(op: 'maxPool' | 'avgPool', p: PoolParams, input: string, b: OpBuilder): Record<string, string> {
  const spec = {
    op,
    poolSize: [p.poolSize, p.poolSize] as [number, number],
    strides: [p.stride, p.stride] as [number, number],
    padding: p.padding,
  };
  return { out: b.add('pool', spec, [input]) };
}
