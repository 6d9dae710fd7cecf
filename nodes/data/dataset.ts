import { z } from 'zod';
import { defineNode } from '../../src/graph/node-definition';

/** CIFAR-10's fixed shape and classes; the synthetic source takes its own from params. */
export const CIFAR10 = { sampleShape: [32, 32, 3], numClasses: 10 } as const;

export const Dataset = defineNode({
  type: 'Dataset',
  title: 'Dataset',
  category: 'data',
  role: 'dataset',
  description: 'Images with their labels (or, for self-supervised learning, without): CIFAR-10 (loaded from files or a URL, cached in the browser) or a synthetic set for instant demos.',
  params: z.object({
    source: z.enum(['cifar10', 'synthetic']).default('cifar10'),
    /** Share of the training images held out for validation. */
    validationSplit: z.number().min(0).max(0.5).default(0.1),
    /** Cap on training images (0 = all), for quick runs. */
    maxTrainImages: z.number().int().min(0).max(1_000_000).default(0),
    /** Synthetic only: number of classes, image side and channels, number of samples. */
    numClasses: z.number().int().min(2).max(100).default(10),
    imageSize: z.number().int().min(4).max(64).default(32),
    channels: z.union([z.literal(1), z.literal(3)]).default(3),
    samples: z.number().int().min(16).max(100_000).default(2048),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(1),
    /** Off: train without labels (self-supervised); the labels are never read, only a reconstruction Loss fits. */
    useLabels: z.boolean().default(true),
    /** Keep only this many training images of each class (a fixed, class-balanced subset; 0 = all), for few-label runs. */
    labelsPerClass: z.number().int().min(0).max(10_000).default(0),
  }),
  inputs: [],
  outputs: [{ name: 'data', label: 'data', kind: 'dataset' }],
  summary: (p) =>
    [
      p.source === 'cifar10'
        ? `CIFAR-10, ${Math.round(p.validationSplit * 100)}% val`
        : `synthetic ${p.imageSize}×${p.imageSize}×${p.channels}, ${p.numClasses} classes`,
      !p.useLabels && 'no labels',
      p.useLabels && p.labelsPerClass > 0 && `${p.labelsPerClass}/class`,
    ]
      .filter(Boolean)
      .join(', '),
  infer(p) {
    const value =
      p.source === 'cifar10'
        ? { kind: 'dataset' as const, name: 'CIFAR-10', sampleShape: [...CIFAR10.sampleShape], numClasses: CIFAR10.numClasses }
        : { kind: 'dataset' as const, name: 'synthetic', sampleShape: [p.imageSize, p.imageSize, p.channels], numClasses: p.numClasses };
    return { outputs: { data: p.useLabels ? value : { ...value, unlabeled: true } } };
  },
});

/** A Dataset's settings as the plan carries them (defaults filled in). */
export type DatasetSettings = z.infer<typeof Dataset.params>;
