import { z } from 'zod';
import { defineNode } from '../../src/graph/node-definition';
import { formatShape } from '../../src/graph/ports';

export const Input = defineNode({
  type: 'Input',
  title: 'Input',
  category: 'layers',
  role: 'input',
  description:
    'Where the model starts. Fed by a Dataset (images) or an Environment (observations) it takes their shape; unconnected, it uses its own.',
  params: z.object({
    /** Used only while no source is connected. */
    shape: z.array(z.number().int().min(1).max(4096)).min(1).max(3).default([32, 32, 3]),
  }),
  inputs: [{ name: 'source', label: 'source', accepts: ['dataset', 'environment'], optional: true }],
  outputs: [{ name: 'out', label: 'out', kind: 'tensor' }],
  summary: (p, connected) => (connected.has('source') ? 'shape from its source' : formatShape(p.shape)),
  infer(p, inputs) {
    const source = inputs.source;
    const shape =
      source?.kind === 'dataset' ? source.sampleShape : source?.kind === 'environment' ? source.observationShape : p.shape;
    return { outputs: { out: { kind: 'tensor', shape } } };
  },
});
