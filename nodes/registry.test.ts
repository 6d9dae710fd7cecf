/** Contract checks over the whole node library, so a new node type cannot skip them. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NodeCategory } from '../src/graph/node-definition';
import type { PortKind } from '../src/graph/ports';
import { registry } from './registry';

const entries = Object.entries(registry);
const CATEGORY_ORDER: readonly NodeCategory[] = ['data', 'layers', 'training', 'rl', 'evaluation'];

describe('node registry', () => {
  it.each(entries)('%s is listed under its own type', (key, def) => {
    expect(def.type).toBe(key);
    expect(def.title.length).toBeGreaterThan(0);
    expect(def.description.length).toBeGreaterThan(0);
  });

  it.each(entries)('%s has a default for every param', (_key, def) => {
    const parsed = def.params.safeParse({});
    expect(parsed.success).toBe(true);
    const defaults = parsed.data as Record<string, unknown>;
    expect(Object.keys(defaults).sort()).toEqual(Object.keys(def.params.shape).sort());
    // The defaults are themselves valid params and round-trip unchanged.
    expect(def.params.parse(JSON.parse(JSON.stringify(defaults)))).toEqual(defaults);
  });

  it.each(entries)('%s summarises its default params, wired or not', (_key, def) => {
    const summarize = def.summary as (p: unknown, connected: ReadonlyMap<string, PortKind | undefined>) => string;
    const wiredWith = (kind: (accepts: readonly PortKind[]) => PortKind | undefined) =>
      new Map(def.inputs.map((p) => [p.name, kind(p.accepts)] as const));
    for (const connected of [new Map(), wiredWith(() => undefined), wiredWith((a) => a[0]), wiredWith((a) => a[a.length - 1])]) {
      const summary = summarize(def.params.parse({}), connected);
      expect(typeof summary).toBe('string');
      expect(summary.trim().length).toBeGreaterThan(0);
    }
  });

  it.each(entries)('%s has uniquely named ports and an implementation for its role', (_key, def) => {
    const names = (ports: readonly { name: string }[]) => new Set(ports.map((p) => p.name)).size === ports.length;
    expect(names(def.inputs)).toBe(true);
    expect(names(def.outputs)).toBe(true);
    if (def.role === 'layer') {
      expect(typeof def.lower).toBe('function');
      expect(def.outputs.map((p) => p.kind)).toEqual(['tensor']);
    } else {
      expect(typeof def.infer).toBe('function');
    }
  });

  it('lists categories in palette order: data, layers, training, rl, evaluation', () => {
    const ranks = entries.map(([, def]) => CATEGORY_ORDER.indexOf(def.category));
    expect(ranks.every((r) => r >= 0)).toBe(true);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
  });

  // Every type must be exercised by its category's tests (nodes/<category>/*.test.ts).
  it.each(entries)('%s is covered by its category tests', (key, def) => {
    const folder = join(import.meta.dirname, def.category);
    const tests = readdirSync(folder)
      .filter((f) => f.endsWith('.test.ts'))
      .map((f) => readFileSync(join(folder, f), 'utf8'))
      .join('\n');
    expect(tests).toContain(`'${key}'`);
  });
});
