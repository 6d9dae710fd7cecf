import { describe, expect, it } from 'vitest';
import { csvText, metricsCsv } from './csv';

/** A minimal RFC 4180 reader, so the test checks that the text reads back, not how it looks. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += c;
  }
  return rows;
}

describe('metricsCsv', () => {
  it('writes one row per point under a header, metrics in name order', () => {
    const text = metricsCsv([{ id: 'r1', name: 'lr 0.1', metrics: { valAccuracy: { x: [3], y: [0.5] }, loss: { x: [1, 2], y: [2.5, 1e-7] } } }]);
    expect(parseCsv(text)).toEqual([
      ['run', 'run_id', 'metric', 'step', 'value'],
      ['lr 0.1', 'r1', 'loss', '1', '2.5'],
      ['lr 0.1', 'r1', 'loss', '2', '1e-7'],
      ['lr 0.1', 'r1', 'valAccuracy', '3', '0.5'],
    ]);
  });

  it('quotes commas, quotes and line breaks so names read back whole', () => {
    const name = 'lr "fast", v2\nretry';
    const rows = parseCsv(metricsCsv([{ id: 'a,b', name, metrics: { loss: { x: [1], y: [NaN] } } }]));
    expect(rows[1]).toEqual([name, 'a,b', 'loss', '1', '']);
  });

  it('defuses text a spreadsheet would run as a formula, and leaves numbers alone', () => {
    expect(csvText('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvText('-1+2')).toBe("'-1+2");
    expect(csvText('plain')).toBe('plain');
    const rows = parseCsv(metricsCsv([{ id: 'r', name: '@run', metrics: { loss: { x: [1], y: [-0.5] } } }]));
    expect(rows[1]).toEqual(["'@run", 'r', 'loss', '1', '-0.5']);
  });
});
