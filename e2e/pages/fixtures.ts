/** Fixture graphs for e2e specs: the shipped presets, read as files (the app's own fixtures). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { GraphDocument } from '../../src/graph/document';

export function presetDocument(id: 'resnet-cifar' | 'dqn-driver' | 'blank'): GraphDocument {
  const path = fileURLToPath(new URL(`../../presets/${id}.json`, import.meta.url));
  return JSON.parse(readFileSync(path, 'utf8')) as GraphDocument;
}
