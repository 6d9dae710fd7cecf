import { describe, expect, it } from 'vitest';
import { RUN_COLORS, assignColors } from './run-colors';

describe('assignColors', () => {
  it('keeps a selected run’s colour and gives a new run the first free one', () => {
    const first = assignColors(new Map(), ['a', 'b', 'c']);
    expect([...first.values()]).toEqual(RUN_COLORS.slice(0, 3));
    const next = assignColors(first, ['c', 'd']);
    expect(next.get('c')).toBe(RUN_COLORS[2]);
    expect(next.get('d')).toBe(RUN_COLORS[0]);
  });
});
