/**
 * Inspector form fields generated from a node type's zod params schema (zod 4): numbers with their
 * bounds, enums and literal unions as selects, booleans as checkboxes, number arrays as text,
 * enum arrays as checkbox sets, anything else as JSON. Parsing goes through the field's own schema,
 * so what the form accepts is exactly what validation accepts.
 */
import type { z } from 'zod';
import { onePerParam } from '../graph/params';

interface FieldBase {
  key: string;
  label: string;
  /** The field's full schema (defaults included): the judge of any input. */
  schema: z.ZodType;
  defaultValue: unknown;
  description?: string;
}

export type FieldSpec = FieldBase &
  (
    | { kind: 'number'; int: boolean; min?: number; max?: number }
    | { kind: 'select'; options: readonly (string | number)[] }
    | { kind: 'boolean' }
    | { kind: 'numberList' }
    | { kind: 'multiSelect'; options: readonly string[] }
    | { kind: 'text' }
    | { kind: 'json' }
  );

type Def = { type: string; innerType?: z.ZodType; defaultValue?: unknown; element?: z.ZodType; options?: readonly z.ZodType[]; values?: readonly unknown[]; entries?: Record<string, string | number> };

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

/** Strips default/optional/nullable wrappers, remembering the default. */
function unwrap(schema: z.ZodType): { inner: z.ZodType; defaultValue: unknown } {
  let inner = schema;
  let defaultValue: unknown;
  for (let i = 0; i < 8; i++) {
    const def = defOf(inner);
    if (def.type === 'default' || def.type === 'prefault') {
      if (defaultValue === undefined) defaultValue = typeof def.defaultValue === 'function' ? undefined : def.defaultValue;
      inner = def.innerType!;
    } else if (def.type === 'optional' || def.type === 'nullable' || def.type === 'readonly') {
      inner = def.innerType!;
    } else break;
  }
  if (defaultValue === undefined) {
    const parsed = schema.safeParse(undefined);
    if (parsed.success) defaultValue = parsed.data;
  }
  return { inner, defaultValue };
}

function enumValues(schema: z.ZodType): (string | number)[] | null {
  const def = defOf(schema);
  if (def.type === 'enum' && def.entries) return Object.values(def.entries);
  if (def.type === 'literal' && def.values) return def.values.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number');
  if (def.type === 'union' && def.options) {
    const all = def.options.map(enumValues);
    return all.every((v): v is (string | number)[] => v !== null) ? all.flat() : null;
  }
  return null;
}

/** Abbreviations that read as letters in a label. */
const ACRONYMS = /\b(ema|gae|ppo|dqn|idm|psnr|mse|lr)\b/g;

/** `kernelSize` → `Kernel size`; `emaDecay` → `EMA decay`. */
export function fieldLabel(key: string): string {
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase().replace(ACRONYMS, (w) => w.toUpperCase());
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function numberBounds(schema: z.ZodType): { int: boolean; min?: number; max?: number } {
  const n = schema as unknown as { minValue: number | null; maxValue: number | null; isInt: boolean };
  const safe = (v: number | null) => (v !== null && Number.isFinite(v) && Math.abs(v) < Number.MAX_SAFE_INTEGER ? v : undefined);
  const min = safe(n.minValue);
  const max = safe(n.maxValue);
  return { int: n.isInt === true, ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}) };
}

/** The form fields for a params object schema, in declaration order. */
export function fieldsOf(params: z.ZodObject): FieldSpec[] {
  return Object.entries(params.shape as Record<string, z.ZodType>).map(([key, schema]) => {
    const { inner, defaultValue } = unwrap(schema);
    const base: FieldBase = {
      key,
      label: fieldLabel(key),
      schema,
      defaultValue,
      ...(schema.description ? { description: schema.description } : {}),
    };
    const type = defOf(inner).type;
    if (type === 'number') return { ...base, kind: 'number', ...numberBounds(inner) };
    if (type === 'boolean') return { ...base, kind: 'boolean' };
    if (type === 'string') return { ...base, kind: 'text' };
    const options = enumValues(inner);
    if (options) return { ...base, kind: 'select', options };
    if (type === 'array') {
      const element = unwrap(defOf(inner).element!).inner;
      if (defOf(element).type === 'number') return { ...base, kind: 'numberList' };
      const elementOptions = enumValues(element);
      if (elementOptions && elementOptions.every((o) => typeof o === 'string')) {
        return { ...base, kind: 'multiSelect', options: elementOptions as string[] };
      }
    }
    return { ...base, kind: 'json' };
  });
}

export type FieldParse = { ok: true; value: unknown } | { ok: false; error: string };

function judge(field: FieldSpec, value: unknown): FieldParse {
  const result = field.schema.safeParse(value);
  if (result.success) return { ok: true, value: result.data };
  return { ok: false, error: onePerParam(result.error.issues)[0]?.message ?? 'invalid value' };
}

/** Turns what the user typed or picked into a value, or says why it is not one. */
export function parseFieldInput(field: FieldSpec, raw: string | boolean | readonly string[]): FieldParse {
  switch (field.kind) {
    case 'boolean':
      return judge(field, raw === true || raw === 'true');
    case 'multiSelect':
      return judge(field, Array.isArray(raw) ? [...raw] : []);
    case 'number': {
      const text = String(raw).trim();
      if (text === '') return { ok: false, error: 'enter a number' };
      const value = Number(text);
      if (!Number.isFinite(value)) return { ok: false, error: `“${text}” is not a number` };
      return judge(field, value);
    }
    case 'select': {
      const match = field.options.find((o) => String(o) === String(raw));
      return match === undefined ? { ok: false, error: 'pick one of the options' } : judge(field, match);
    }
    case 'numberList': {
      const parts = String(raw).split(/[\s,×x]+/).filter(Boolean);
      if (parts.length === 0) return { ok: false, error: 'enter numbers separated by commas' };
      const values = parts.map(Number);
      const bad = parts.find((_, i) => !Number.isFinite(values[i]));
      if (bad !== undefined) return { ok: false, error: `“${bad}” is not a number` };
      return judge(field, values);
    }
    case 'text':
      return judge(field, String(raw));
    case 'json': {
      try {
        return judge(field, JSON.parse(String(raw)));
      } catch {
        return { ok: false, error: 'not valid JSON' };
      }
    }
  }
}

/** The text shown in a text-like input for a value. */
export function formatFieldValue(field: FieldSpec, value: unknown): string {
  if (value === undefined) return '';
  if (field.kind === 'numberList' && Array.isArray(value)) return value.join(', ');
  if (field.kind === 'json') return JSON.stringify(value);
  return String(value);
}
