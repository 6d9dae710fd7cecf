/**
 * Plan hashing: a run records the SHA-256 of its plan's canonical JSON, so two runs of the same
 * graph (however its nodes were moved or its keys ordered) carry the same hash.
 */

/** JSON with object keys sorted at every level; arrays keep their order (it is meaningful). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) {
      throw new Error(`cannot hash the non-finite number ${value}: plans are JSON-safe`);
    }
    const s = JSON.stringify(value);
    // undefined and functions have no JSON form; in an object they are dropped like JSON.stringify does.
    return s === undefined ? 'null' : s;
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && typeof v !== 'function')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

function hex(bytes: ArrayBuffer): string {
  return [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Lower-case hex SHA-256 of the plan's canonical JSON (Web Crypto: browsers, workers, Node ≥ 20). */
export async function hashPlan(plan: unknown): Promise<string> {
  const data = new TextEncoder().encode(canonicalJson(plan));
  return hex(await crypto.subtle.digest('SHA-256', data));
}
