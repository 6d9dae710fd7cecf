/**
 * Files the compare view hands the user: a download of any blob, and the charts drawn onto one PNG
 * with their titles and a legend of the runs' colours (each uPlot's own canvas, copied as drawn).
 */
import type uPlot from 'uplot';

/** Starts a download of `blob` under `name`. */
export function download(name: string, blob: Blob): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

const COLUMNS = 2;
const TITLE_H = 22;
const PAD = 12;

/** The charts in a grid under a legend, as a PNG; null when the browser cannot encode one. */
export async function chartsPng(charts: readonly { title: string; plot: uPlot }[], runs: readonly { name: string; color: string }[]): Promise<Blob | null> {
  if (charts.length === 0) return null;
  const scale = window.devicePixelRatio || 1;
  const cw = Math.max(...charts.map((c) => c.plot.ctx.canvas.width));
  const ch = Math.max(...charts.map((c) => c.plot.ctx.canvas.height));
  const legendH = Math.ceil(runs.length / 4) * 18 * scale + PAD * scale;
  const rows = Math.ceil(charts.length / COLUMNS);
  const canvas = document.createElement('canvas');
  canvas.width = COLUMNS * cw + (COLUMNS + 1) * PAD * scale;
  canvas.height = legendH + rows * (ch + TITLE_H * scale + PAD * scale) + PAD * scale;
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.font = `${12 * scale}px sans-serif`;
  runs.forEach((r, i) => {
    const x = PAD * scale + (i % 4) * (canvas.width / 4);
    const y = PAD * scale + Math.floor(i / 4) * 18 * scale;
    ctx.fillStyle = r.color;
    ctx.fillRect(x, y, 12 * scale, 12 * scale);
    ctx.fillStyle = '#222';
    ctx.fillText(r.name, x + 18 * scale, y + 11 * scale);
  });
  charts.forEach((c, i) => {
    const x = PAD * scale + (i % COLUMNS) * (cw + PAD * scale);
    const y = legendH + Math.floor(i / COLUMNS) * (ch + TITLE_H * scale + PAD * scale);
    ctx.fillStyle = '#222';
    ctx.font = `bold ${13 * scale}px sans-serif`;
    ctx.fillText(c.title, x, y + 15 * scale);
    ctx.drawImage(c.plot.ctx.canvas, x, y + TITLE_H * scale);
  });
  return new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
}
