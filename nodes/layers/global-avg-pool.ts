import { z } from 'zod';
import { defineNode } from '../../src/graph/node-definition';
import { requireImage } from './shape-checks';

/** Averages each channel over the whole feature map: [h,w,c] → [c]. */
export const GlobalAvgPool = defineNode({
  type: 'GlobalAvgPool',
  title: 'GlobalAvgPool',
  category: 'layers',
  role: 'layer',
  description: 'Averages each channel over height and width, turning a feature map into a vector for Dense.',
  params: z.object({}),
  inputs: [{ name: 'in', label: 'in', accepts: ['tensor'] }],
  outputs: [{ name: 'out', label: 'out', kind: 'tensor' }],
  summary: () => 'H×W×C → C',
  check: (_p, inputs) => requireImage('GlobalAvgPool', inputs.in),
  lower: (_p, inputs, b) => ({ out: b.add('gap', { op: 'globalAvgPool' }, [inputs.in!]) }),
});
