/** Number formatting for cards and panels: compact counts, FLOPs with SI prefixes. */

/** 1234 → "1.2k", 2_500_000 → "2.5M". */
export function formatCount(n: number): string {
  const abs = Math.abs(n);
  if (abs < 1000) return String(Math.round(n));
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units) {
    if (abs >= size) {
      const v = n / size;
      return `${v >= 100 ? Math.round(v) : v.toFixed(1).replace(/\.0$/, '')}${suffix}`;
    }
  }
  return String(n);
}

/** Exact count with thousands separators, e.g. "272,474". */
export function formatExact(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}
