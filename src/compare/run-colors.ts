/**
 * One colour per selected run, the same in every chart and in the table: a run keeps its colour
 * while it stays selected, and a newly selected run takes the first colour no selected run holds.
 * Ten colours for the ten runs a comparison takes (Tableau 10, told apart by most colour-blind readers).
 */
export const RUN_COLORS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'] as const;

/** The most runs one comparison shows. */
export const MAX_COMPARED = RUN_COLORS.length;

/** Colours for `selected`, keeping those `previous` gave to runs still selected. */
export function assignColors(previous: ReadonlyMap<string, string>, selected: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const id of selected) {
    const c = previous.get(id);
    if (c) out.set(id, c);
  }
  const taken = new Set(out.values());
  const free = RUN_COLORS.filter((c) => !taken.has(c));
  for (const id of selected) if (!out.has(id)) out.set(id, free.shift() ?? RUN_COLORS[out.size % RUN_COLORS.length]!);
  return out;
}
