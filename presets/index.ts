/**
 * The presets shipped with the app. They are ordinary graph documents, admitted by the same way
 * in as user files (`admitDocument`), so a broken preset fails loudly in tests rather than in a
 * user's browser.
 */
import { registry } from '../nodes/registry';
import { admitDocument } from '../src/graph/admit';
import type { GraphDocument } from '../src/graph/document';
import blank from './blank.json';
import dqnDriver from './dqn-driver.json';
import ppoDriver from './ppo-driver.json';
import resnetCifar from './resnet-cifar.json';
import fastCifar from './fast-cifar.json';
import autoencoderCifar from './autoencoder-cifar.json';
import sslClassifierCifar from './ssl-classifier-cifar.json';

export interface Preset {
  id: 'resnet-cifar' | 'fast-cifar' | 'autoencoder-cifar' | 'ssl-classifier-cifar' | 'dqn-driver' | 'ppo-driver' | 'blank';
  title: string;
  description: string;
  doc: GraphDocument;
}

function load(raw: unknown, id: Preset['id']): GraphDocument {
  const parsed = admitDocument(raw, registry);
  if (!parsed.ok) throw new Error(`preset ${id} is invalid: ${parsed.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
  return parsed.doc;
}

export const presets: readonly Preset[] = [
  { id: 'resnet-cifar', title: 'ResNet on CIFAR-10', description: 'ResNet-20 image classifier', doc: load(resnetCifar, 'resnet-cifar') },
  {
    id: 'fast-cifar',
    title: 'Fast CIFAR-10 (10 minutes)',
    description: 'A small wide network and a recipe built to learn CIFAR-10 in 10 minutes of a laptop CPU',
    doc: load(fastCifar, 'fast-cifar'),
  },
  {
    id: 'autoencoder-cifar',
    title: 'Autoencoder on CIFAR-10 (self-supervised)',
    description: 'A residual encoder learns from unlabelled images by reconstructing them',
    doc: load(autoencoderCifar, 'autoencoder-cifar'),
  },
  {
    id: 'ssl-classifier-cifar',
    title: 'Classify CIFAR-10 with 1,000 labels from the pretrained encoder',
    description: "The autoencoder's encoder with a classifier head, 100 labels per class",
    doc: load(sslClassifierCifar, 'ssl-classifier-cifar'),
  },
  { id: 'dqn-driver', title: 'DQN driver', description: 'A car learns highway driving', doc: load(dqnDriver, 'dqn-driver') },
  { id: 'ppo-driver', title: 'PPO driver', description: 'A car learns highway driving by policy gradient', doc: load(ppoDriver, 'ppo-driver') },
  { id: 'blank', title: 'Blank project', description: 'An empty canvas', doc: load(blank, 'blank') },
];

export const DEFAULT_PRESET_ID: Preset['id'] = 'resnet-cifar';

export function presetById(id: string): Preset | undefined {
  return presets.find((p) => p.id === id);
}
