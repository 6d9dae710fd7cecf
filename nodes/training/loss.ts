import { z } from 'zod';
import type { NodeIssue, QuickFix } from '../../src/graph/diagnostics';
import { defineNode } from '../../src/graph/node-definition';
import { formatShape, type PortValue, type Shape } from '../../src/graph/ports';

const LOSS_NAMES = { softmaxCrossEntropy: 'cross-entropy', mse: 'MSE', huber: 'Huber', l1: 'L1' } as const;

export const Loss = defineNode({
  type: 'Loss',
  title: 'Loss',
  category: 'training',
  role: 'loss',
  description:
    'Compares the model output with the dataset labels (softmax cross-entropy with label smoothing, MSE, Huber or L1 on one-hot targets), ' +
    'or, as reconstruction, with the model\'s own input image (MSE or L1 per pixel on the normalised image: autoencoders).',
  params: z.object({
    loss: z.enum(['softmaxCrossEntropy', 'mse', 'huber', 'l1']).default('softmaxCrossEntropy'),
    /** `labels`: the dataset's classes, one-hot. `input`: reconstruct the (uncorrupted) input image. */
    target: z.enum(['labels', 'input']).default('labels'),
    labelSmoothing: z.number().min(0).max(0.5).default(0),
    huberDelta: z.number().positive().max(100).default(1),
  }),
  inputs: [
    { name: 'predictions', label: 'predictions', accepts: ['tensor'] },
    { name: 'targets', label: 'targets', accepts: ['dataset'] },
  ],
  outputs: [{ name: 'loss', label: 'loss', kind: 'loss' }],
  summary: (p) => {
    const name = p.loss === 'huber' ? `Huber δ=${p.huberDelta}` : LOSS_NAMES[p.loss];
    if (p.target === 'input') return `reconstruction, ${name}`;
    return p.loss === 'softmaxCrossEntropy' && p.labelSmoothing > 0 ? `${name}, smoothing ${p.labelSmoothing}` : name;
  },
  infer(p, inputs): { outputs: Record<string, PortValue>; issues?: NodeIssue[] } {
    const pred = inputs.predictions;
    const targets = inputs.targets;
    if (pred?.kind !== 'tensor' || targets?.kind !== 'dataset') return { outputs: {} };
    const issue = p.target === 'input' ? reconstructionIssue(p.loss, pred.shape, targets.sampleShape) : labelIssue(pred.shape, targets);
    if (issue) return { outputs: {}, issues: [issue] };
    return { outputs: { loss: { kind: 'loss', lossType: p.target === 'input' ? `reconstruction-${p.loss}` : p.loss } } };
  },
});

function labelIssue(pred: Shape, targets: { numClasses: number; name: string; unlabeled?: boolean }): NodeIssue | undefined {
  if (targets.unlabeled) {
    return {
      severity: 'error',
      code: 'incompatible-target',
      port: 'targets',
      param: 'target',
      message: `${targets.name} is set to train without labels, so this Loss has no classes to compare with: reconstruct the input image instead, or let the Dataset read its labels`,
      fix: { kind: 'set-params', label: 'Reconstruct the input', params: { target: 'input', loss: 'mse' } },
    };
  }
  if (pred.length === 1 && pred[0] === targets.numClasses) return undefined;
  return {
    severity: 'error',
    code: 'shape-mismatch',
    port: 'predictions',
    message: `predictions are ${formatShape(pred)} but ${targets.name} has ${targets.numClasses} classes: end the model with Dense(${targets.numClasses}) to get ${formatShape([targets.numClasses])}`,
  };
}

/**
 * A reconstruction compares the output with the input pixel by pixel, so both must have the
 * image's shape. When one layer would make them agree, the diagnostic carries it as a fix: an
 * Upsample when the output is a power-of-two fraction of the image's size, else a 1×1 Conv2D to
 * the image's channels.
 */
export function reconstructionIssue(loss: keyof typeof LOSS_NAMES, pred: Shape, image: Shape): NodeIssue | undefined {
  if (loss === 'softmaxCrossEntropy') {
    return {
      severity: 'error',
      code: 'incompatible-target',
      param: 'loss',
      message: 'cross-entropy compares class scores; a reconstruction compares pixels: choose MSE or L1',
      fix: { kind: 'set-params', label: 'Use MSE', params: { loss: 'mse' } },
    };
  }
  if (pred.length === image.length && pred.every((d, i) => d === image[i])) return undefined;
  const wanted = `the input image ${formatShape(image)}`;
  if (pred.length !== 3 || image.length !== 3) {
    return {
      severity: 'error',
      code: 'shape-mismatch',
      port: 'predictions',
      message: `a reconstruction must output an image like ${wanted}, but the model outputs ${formatShape(pred)}: end it with a decoder (Upsample or Conv2DTranspose, then a Conv2D to ${image[image.length - 1]} channels)`,
    };
  }
  const [h, w, c] = pred as [number, number, number];
  const [H, W, C] = image as [number, number, number];
  const factor = H / h;
  let fix: QuickFix | undefined;
  let remedy: string;
  if ((h !== H || w !== W) && W / w === factor && (factor === 2 || factor === 4)) {
    fix = { kind: 'insert-node', label: `Append Upsample ×${factor}`, nodeType: 'Upsample', params: { factor }, targetPort: 'predictions' };
    remedy = `up-sample it ×${factor}${c !== C ? `, then a 1×1 Conv2D to ${C} channels` : ''}`;
  } else if (h === H && w === W) {
    fix = { kind: 'insert-node', label: `Append a 1×1 Conv2D to ${C} channels`, nodeType: 'Conv2D', params: { filters: C, kernelSize: 1 }, targetPort: 'predictions' };
    remedy = `end it with a 1×1 Conv2D to ${C} channels`;
  } else {
    remedy = `make the decoder bring it back to ${H}×${W} (Upsample ×2/×4 or Conv2DTranspose with a stride)`;
  }
  return {
    severity: 'error',
    code: 'shape-mismatch',
    port: 'predictions',
    message: `a reconstruction must output ${wanted}, but the model outputs ${formatShape(pred)}: ${remedy}`,
    ...(fix ? { fix } : {}),
  };
}

/** A Loss's settings as the plan carries them (defaults filled in). */
export type LossSettings = z.infer<typeof Loss.params>;
