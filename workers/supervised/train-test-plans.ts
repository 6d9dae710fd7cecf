/**
 * Compiled plans for the trainer's and worker's tests: small real graph documents run through
 * `compile(doc, registry)`, so the tests train what the editor would hand over.
 */
import { registry } from '../../nodes/registry';
import { compile } from '../../src/graph/compile';
import { emptyDocument, type GraphDocument } from '../../src/graph/document';
import type { SupervisedPlan } from '../../src/graph/plan';

type Params = Record<string, unknown>;

/** A straight chain Dataset → [Augmentation] → Input → layers → Loss → Optimizer. */
export interface ChainSpec {
  dataset?: Params;
  augmentation?: Params | null;
  layers: [type: string, params?: Params][];
  loss?: Params;
  optimizer?: Params;
  evaluator?: Params;
}

export function chainDocument(spec: ChainSpec): GraphDocument {
  const doc = emptyDocument('test plan');
  let n = 0;
  const add = (type: string, params: Params = {}): string => {
    const id = `n${n++}`;
    doc.nodes.push({ id, type, params, position: { x: n * 180, y: 0 } });
    return id;
  };
  const edge = (source: string, sourcePort: string, target: string, targetPort: string) =>
    doc.edges.push({ id: `e${doc.edges.length}`, source, sourcePort, target, targetPort });
  const dataset = add('Dataset', spec.dataset ?? {});
  let data = dataset;
  if (spec.augmentation !== null) {
    const aug = add('Augmentation', spec.augmentation ?? {});
    edge(dataset, 'data', aug, 'data');
    data = aug;
  }
  const input = add('Input');
  edge(data, 'data', input, 'source');
  let prev = input;
  for (const [type, params] of spec.layers) {
    const id = add(type, params ?? {});
    edge(prev, 'out', id, 'in');
    prev = id;
  }
  const loss = add('Loss', spec.loss ?? {});
  edge(prev, 'out', loss, 'predictions');
  edge(dataset, 'data', loss, 'targets');
  const opt = add('Optimizer', spec.optimizer ?? {});
  edge(loss, 'loss', opt, 'loss');
  if (spec.evaluator) {
    const ev = add('Evaluator', spec.evaluator);
    edge(opt, 'model', ev, 'source');
  }
  return doc;
}

/** Compiles a chain; throws with the diagnostics when the graph is not trainable. */
export function chainPlan(spec: ChainSpec): SupervisedPlan {
  const r = compile(chainDocument(spec), registry);
  if (!r.ok) throw new Error(`test plan does not compile: ${r.diagnostics.map((d) => d.message).join('; ')}`);
  if (r.plan.mode !== 'supervised') throw new Error('test plan is not supervised');
  return r.plan;
}

/** A small conv net: two conv-BN-relu-pool stages, global pool and a classifier. */
export function smallConvNet(numClasses: number): ChainSpec['layers'] {
  return [
    ['Conv2D', { filters: 16, kernelSize: 3 }],
    ['BatchNorm'],
    ['Activation', { fn: 'relu' }],
    ['MaxPool', { poolSize: 2 }],
    ['Conv2D', { filters: 32, kernelSize: 3 }],
    ['BatchNorm'],
    ['Activation', { fn: 'relu' }],
    ['GlobalAvgPool'],
    ['Dense', { units: numClasses }],
  ];
}

/** A tiny masked autoencoder on synthetic 8×8 images, without labels, a quarter held out. */
export const autoencoderPlan = (epochs = 2): SupervisedPlan =>
  chainPlan({
    dataset: { source: 'synthetic', numClasses: 4, imageSize: 8, channels: 3, samples: 96, seed: 3, validationSplit: 0.25, useLabels: false },
    augmentation: { randomFlip: true, padCrop: 0, normalize: 'unit', maskPatches: 1, maskSize: 2 },
    layers: [
      ['Conv2D', { filters: 8, stride: 2, activation: 'relu' }],
      ['Conv2DTranspose', { filters: 8, stride: 2, activation: 'relu' }],
      ['Conv2D', { filters: 3, kernelSize: 1 }],
    ],
    loss: { target: 'input', loss: 'mse' },
    optimizer: { optimizer: 'adam', learningRate: 0.01, epochs, batchSize: 24 },
  });
