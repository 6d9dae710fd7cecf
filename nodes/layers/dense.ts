import { z } from 'zod';
import type { QuickFix } from '../../src/graph/diagnostics';
import { defineNode } from '../../src/graph/node-definition';
import { formatShape } from '../../src/graph/ports';

/** A fully connected layer over a 1-D feature vector, with an optional activation. */
export const Dense = defineNode({
  type: 'Dense',
  title: 'Dense',
  category: 'layers',
  role: 'layer',
  description: 'Fully connected layer: every output unit sees every input feature. Takes a 1-D vector.',
  params: z.object({
    units: z.number().int().min(1).max(65536).default(10),
    useBias: z.boolean().default(true),
    activation: z.enum(['linear', 'relu', 'gelu', 'tanh', 'sigmoid', 'softmax']).default('linear'),
  }),
  inputs: [{ name: 'in', label: 'in', accepts: ['tensor'] }],
  outputs: [{ name: 'out', label: 'out', kind: 'tensor' }],
  summary: (p) => `${p.units} units${p.activation !== 'linear' ? `, ${p.activation}` : ''}${p.useBias ? '' : ', no bias'}`,
  check(_p, inputs) {
    const x = inputs.in;
    if (!x || x.length === 1) return [];
    // A feature map is usually best summarised per channel; anything else is just unrolled.
    const nodeType = x.length === 3 ? 'GlobalAvgPool' : 'Flatten';
    const fix: QuickFix = { kind: 'insert-node', label: `Insert ${nodeType}`, nodeType, targetPort: 'in' };
    return [
      {
        severity: 'error',
        code: 'rank-mismatch',
        port: 'in',
        message: `Dense needs a 1-D input, got ${formatShape(x)}: insert ${nodeType === 'GlobalAvgPool' ? 'GlobalAvgPool (or Flatten)' : 'Flatten'} before it`,
        fix,
      },
    ];
  },
  lower(p, inputs, b) {
    const out = b.add('dense', { op: 'dense', units: p.units, useBias: p.useBias }, [inputs.in!]);
    return { out: p.activation === 'linear' ? out : b.add('act', { op: 'activation', fn: p.activation }, [out]) };
  },
});
