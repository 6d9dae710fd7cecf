/** What Conv2D and Conv2DTranspose share: the params, the summary and the lowering. */
import { z } from 'zod';
import type { OpBuilder } from '../../src/graph/node-definition';

/** The conv params; only the stride's range and default differ between the two layers. */
export function convParams(stride: { max: number; default: number }) {
  return z.object({
    filters: z.number().int().min(1).max(4096).default(16),
    kernelSize: z.number().int().min(1).max(15).default(3),
    stride: z.number().int().min(1).max(stride.max).default(stride.default),
    padding: z.enum(['same', 'valid']).default('same'),
    useBias: z.boolean().default(true),
    activation: z.enum(['linear', 'relu', 'gelu', 'tanh', 'sigmoid']).default('linear'),
  });
}

export type ConvParams = z.infer<ReturnType<typeof convParams>>;

export function convSummary(p: ConvParams): string {
  return `${p.kernelSize}×${p.kernelSize}, ${p.filters}${p.stride > 1 ? `, stride ${p.stride}` : ''}${p.activation !== 'linear' ? `, ${p.activation}` : ''}`;
}

/** Lowers to one conv op named `name`, followed by an activation op unless it is linear. */
export function lowerConv(
  op: 'conv2d' | 'conv2dTranspose',
  name: string,
  p: ConvParams,
  input: string,
  b: OpBuilder,
): Record<string, string> {
  const out = b.add(
    name,
    {
      op,
      filters: p.filters,
      kernelSize: [p.kernelSize, p.kernelSize],
      strides: [p.stride, p.stride],
      padding: p.padding,
      useBias: p.useBias,
    },
    [input],
  );
  return { out: p.activation === 'linear' ? out : b.add('act', { op: 'activation', fn: p.activation }, [out]) };
}
