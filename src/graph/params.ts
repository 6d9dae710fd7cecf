/**
 * Node parameters: parsed by the node type's zod schema, with unknown keys reported rather than
 * silently dropped.
 */
import type { z } from 'zod';
import type { NodeIssue } from './diagnostics';
import type { NodeDefinition } from './node-definition';

type ParamResult = { params?: Record<string, unknown>; issues: NodeIssue[] };

/**
 * Parsed params per definition and raw params object. Documents are edited immutably, so an
 * unchanged node keeps its params object and revalidating a 1,000-node graph after one edit parses
 * one node's params, not a thousand.
 */
const paramCache = new WeakMap<NodeDefinition, WeakMap<object, ParamResult>>();

export function paramIssues(def: NodeDefinition, raw: Record<string, unknown>): ParamResult {
  let byRaw = paramCache.get(def);
  if (!byRaw) paramCache.set(def, (byRaw = new WeakMap()));
  const cached = byRaw.get(raw);
  if (cached) return cached;
  const result = parseParams(def, raw);
  byRaw.set(raw, result);
  return result;
}

function parseParams(def: NodeDefinition, raw: Record<string, unknown>): ParamResult {
  // Unknown keys (a typo, or a parameter from a newer version) are dropped by the schema: say so.
  const unknown: NodeIssue[] = Object.keys(raw)
    .filter((key) => !Object.hasOwn(def.params.shape, key))
    .map((key) => ({ severity: 'warning', code: 'invalid-params', param: key, message: `unknown parameter "${key}" is ignored` }));
  const parsed = def.params.safeParse(raw);
  if (parsed.success) return { params: parsed.data as Record<string, unknown>, issues: unknown };
  return {
    issues: [...unknown, ...onePerParam(parsed.error.issues).map((issue) => {
      const param = issue.path.map(String).join('.');
      return {
        severity: 'error' as const,
        code: 'invalid-params' as const,
        message: param ? `${param}: ${issue.message}` : issue.message,
        param,
      };
    })],
  };
}

type ZodIssue = z.core.$ZodIssue;

/**
 * zod's `.int()` carries its own ±2^53 bounds, so 1e308 fails both those and the node's `max`: two
 * messages with two different limits for one value. A user fixes one parameter at a time and needs
 * the limit the node sets, so keep one issue per parameter, preferring any over the implicit bound.
 */
export function onePerParam(issues: readonly ZodIssue[]): ZodIssue[] {
  const byParam = new Map<string, ZodIssue>();
  for (const issue of issues) {
    const key = issue.path.map(String).join('.');
    const kept = byParam.get(key);
    if (!kept || (isSafeIntegerBound(kept) && !isSafeIntegerBound(issue))) byParam.set(key, issue);
  }
  return [...byParam.values()];
}

function isSafeIntegerBound(issue: ZodIssue): boolean {
  if (issue.code === 'too_big') return Number(issue.maximum) === Number.MAX_SAFE_INTEGER;
  if (issue.code === 'too_small') return Number(issue.minimum) === Number.MIN_SAFE_INTEGER;
  return false;
}
