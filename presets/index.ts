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
import resnetCifar from './resnet-cifar.json';

export interface Preset {
  id: 'resnet-cifar' | 'dqn-driver' | 'blank';
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
  { id: 'dqn-driver', title: 'DQN driver', description: 'A car learns highway driving', doc: load(dqnDriver, 'dqn-driver') },
  { id: 'blank', title: 'Blank project', description: 'An empty canvas', doc: load(blank, 'blank') },
];

export const DEFAULT_PRESET_ID: Preset['id'] = 'resnet-cifar';

export function presetById(id: string): Preset | undefined {
  return presets.find((p) => p.id === id);
}
