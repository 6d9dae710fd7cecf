/**
 * The layering rules, one table (ARCHITECTURE.md shows the same), and the import-loop finder.
 * A pattern ending in `/` is a folder prefix; any other pattern names a package exactly.
 */
import { findLoops } from '../src/graph/cycles';
import { isTestFile, type Edge } from './import-graph';

/** One row of the table: which files it covers, and what they may import. */
export interface LayerRule {
  name: string;
  /** Files the rule covers (folder prefixes), minus `except`. */
  files: readonly string[];
  except?: readonly string[];
  /** When given, every import must match one of these. */
  only?: readonly string[];
  /** Imports that must not appear. */
  never?: readonly string[];
  /** Imports allowed only as types (erased at build time). */
  typeOnly?: readonly string[];
}

const PAGE = ['src/run/', 'src/compare/', 'src/editor/', 'src/app/', 'src/share/', 'src/storage/'];

/** The layering of ARCHITECTURE.md. Tests and test-only helpers are exempt (`isTestFile`). */
export const LAYER_RULES: readonly LayerRule[] = [
  {
    name: 'src/graph is pure: only itself and zod (no React, no TF.js, no node library, no app layers)',
    files: ['src/graph/'],
    only: ['src/graph/', 'zod'],
  },
  { name: 'nodes/ imports only src/graph, src/rl and zod', files: ['nodes/'], only: ['nodes/', 'src/graph/', 'src/rl/', 'zod'] },
  {
    name: 'src/protocol is types and constants: only src/graph and src/rl types',
    files: ['src/protocol/'],
    only: ['src/protocol/', 'src/graph/', 'src/rl/', '@tensorflow/tfjs'],
    typeOnly: ['src/graph/', 'src/rl/', '@tensorflow/'],
  },
  {
    name: 'src/data imports only src/protocol',
    files: ['src/data/'],
    only: ['src/data/', 'src/protocol/', 'fflate', '@tensorflow/tfjs'],
    typeOnly: ['@tensorflow/'],
  },
  { name: 'workers/ never import the page', files: ['workers/'], never: PAGE },
  { name: 'the page never imports workers/ (it talks to them through src/protocol)', files: PAGE, never: ['workers/'] },
  {
    name: 'TF.js only in workers/ and bench/',
    files: ['src/', 'nodes/', 'presets/', 'scripts/', 'e2e/'],
    except: ['src/protocol/', 'src/data/'],
    never: ['@tensorflow/'],
  },
];

const matches = (target: string, pattern: string): boolean => (pattern.endsWith('/') ? target.startsWith(pattern) : target === pattern);
const anyMatch = (target: string, patterns: readonly string[] | undefined): boolean => (patterns ?? []).some((p) => matches(target, p));

/** Every import against the table, as `file → import (rule)`. */
export function checkLayering(edges: readonly Edge[], rules: readonly LayerRule[] = LAYER_RULES): string[] {
  const out: string[] = [];
  for (const edge of edges) {
    if (isTestFile(edge.from) || edge.pkg?.startsWith('node:')) continue;
    const target = edge.to ?? edge.pkg ?? edge.specifier;
    for (const rule of rules) {
      if (!anyMatch(edge.from, rule.files) || anyMatch(edge.from, rule.except)) continue;
      const broken =
        (rule.only !== undefined && !anyMatch(target, rule.only)) ||
        anyMatch(target, rule.never) ||
        (!edge.typeOnly && anyMatch(target, rule.typeOnly));
      if (broken) out.push(`${edge.from} → ${target}${edge.typeOnly ? ' (type)' : ''} (${rule.name})`);
    }
  }
  return out;
}

/** Every import loop among the files (the graph editor's loop finder over the import graph), as `a → b → a`. */
export function findCycles(edges: readonly Edge[]): string[] {
  const next = new Map<string, string[]>();
  for (const e of edges) {
    if (e.to === undefined || e.to === e.from) continue;
    const list = next.get(e.from) ?? [];
    if (!list.includes(e.to)) list.push(e.to);
    next.set(e.from, list);
  }
  const links = [...next].flatMap(([source, targets]) => targets.map((target) => ({ source, target })));
  return findLoops([...next.keys()].sort(), links).map((component) => loopThrough(component.sort(), next).join(' → '));
}

/** One loop from the component's first file back to itself (breadth-first, so the shortest). */
function loopThrough(component: string[], next: Map<string, string[]>): string[] {
  const inside = new Set(component);
  const start = component[0]!;
  const parent = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const v = queue.shift()!;
    for (const w of next.get(v) ?? []) {
      if (!inside.has(w)) continue;
      if (w === start) {
        const path = [start];
        for (let u: string | undefined = v; u !== undefined && u !== start; u = parent.get(u)) path.splice(1, 0, u);
        return [...path, start];
      }
      if (!parent.has(w)) {
        parent.set(w, v);
        queue.push(w);
      }
    }
  }
  return [...component, start];
}
