/** Fixture documents for graph tests: the shipped presets, loaded the way the app loads them. */
import { presetById, type Preset } from '.';
import type { GraphDocument } from '../src/graph/document';

/** A deep, mutable copy of a preset document. */
export function presetDoc(id: Preset['id']): GraphDocument {
  const preset = presetById(id);
  if (!preset) throw new Error(`no preset ${id}`);
  return structuredClone(preset.doc);
}
