/** Fixture documents for graph tests: the shipped presets, loaded the way the app loads them. */
import { presetById } from '.';
import type { GraphDocument } from '../src/graph/document';

/** A deep, mutable copy of a preset document. */
export function presetDoc(id: 'resnet-cifar' | 'dqn-driver' | 'blank'): GraphDocument {
  const preset = presetById(id);
  if (!preset) throw new Error(`no preset ${id}`);
  return structuredClone(preset.doc);
}
