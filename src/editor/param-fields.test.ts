import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { registry } from '../../nodes/registry';
import { fieldLabel, fieldsOf, parseFieldInput, type FieldSpec } from './param-fields';

function field(fields: FieldSpec[], key: string): FieldSpec {
  const f = fields.find((x) => x.key === key);
  if (!f) throw new Error(`no field ${key}`);
  return f;
}

describe('inspector fields from zod schemas', () => {
  const conv = fieldsOf(registry.Conv2D.params);

  it('derives kinds, bounds, options and defaults', () => {
    expect(field(conv, 'filters')).toMatchObject({ kind: 'number', int: true, min: 1, max: 4096, defaultValue: 16, label: 'Filters' });
    expect(field(conv, 'padding')).toMatchObject({ kind: 'select', options: ['same', 'valid'], defaultValue: 'same' });
    expect(field(conv, 'useBias')).toMatchObject({ kind: 'boolean', defaultValue: true });
    expect(field(fieldsOf(registry.Input.params), 'shape')).toMatchObject({ kind: 'numberList', defaultValue: [32, 32, 3] });
    expect(field(fieldsOf(registry.Dataset.params), 'channels')).toMatchObject({ kind: 'select', options: [1, 3] });
    expect(field(fieldsOf(registry.Evaluator.params), 'baselines')).toMatchObject({ kind: 'multiSelect', options: ['idm', 'random'] });
  });

  it('gives every registered param a field that accepts its own default', () => {
    for (const def of Object.values(registry)) {
      for (const f of fieldsOf(def.params)) {
        const raw = f.kind === 'boolean' ? (f.defaultValue as boolean) : f.kind === 'multiSelect' ? (f.defaultValue as string[]) : f.kind === 'numberList' ? (f.defaultValue as number[]).join(',') : String(f.defaultValue);
        expect(parseFieldInput(f, raw), `${def.type}.${f.key}`).toEqual({ ok: true, value: f.defaultValue });
      }
    }
  });

  it('rejects out-of-range, fractional and non-numeric input with a message', () => {
    const filters = field(conv, 'filters');
    expect(parseFieldInput(filters, '0')).toMatchObject({ ok: false, error: expect.stringMatching(/>=1/) });
    // The node's own bound, not zod's implicit ±2^53 for integers.
    expect(parseFieldInput(filters, '1e308')).toMatchObject({ ok: false, error: expect.stringMatching(/<=4096$/) });
    expect(parseFieldInput(filters, '2.5')).toMatchObject({ ok: false, error: expect.stringMatching(/int/) });
    expect(parseFieldInput(filters, 'lots')).toEqual({ ok: false, error: '“lots” is not a number' });
    expect(parseFieldInput(filters, '')).toEqual({ ok: false, error: 'enter a number' });
    expect(parseFieldInput(filters, '64')).toEqual({ ok: true, value: 64 });
  });

  it('parses number lists and refuses bad members', () => {
    const shape = field(fieldsOf(registry.Input.params), 'shape');
    expect(parseFieldInput(shape, '28, 28, 1')).toEqual({ ok: true, value: [28, 28, 1] });
    expect(parseFieldInput(shape, '28×28')).toEqual({ ok: true, value: [28, 28] });
    expect(parseFieldInput(shape, '28, a')).toMatchObject({ ok: false });
    expect(parseFieldInput(shape, '1,2,3,4')).toMatchObject({ ok: false });
  });

  it('falls back to JSON for shapes it has no widget for', () => {
    const [f] = fieldsOf(z.object({ table: z.record(z.string(), z.number()).default({}) }));
    expect(f!.kind).toBe('json');
    expect(parseFieldInput(f!, '{"a":1}')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseFieldInput(f!, '{a')).toEqual({ ok: false, error: 'not valid JSON' });
  });

  it('labels camelCase keys in words', () => {
    expect(fieldLabel('minLearningRateFraction')).toBe('Min learning rate fraction');
    expect(fieldLabel('emaDecay')).toBe('EMA decay');
    expect(fieldLabel('gaeLambda')).toBe('GAE lambda');
    expect(fieldLabel('memory')).toBe('Memory');
  });
});
