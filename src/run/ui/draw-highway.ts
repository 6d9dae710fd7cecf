/**
 * Paints a {@link WorldSnapshot} onto a 2D canvas: the road seen from above with the camera
 * following the agent's car, lanes left (top) to right (bottom), traffic moving left to right,
 * and a heads-up display with the agent's speed, action and return. Pure drawing, no React.
 */
import type { WorldSnapshot } from '../../rl/highway/env';

/** The five meta-actions, in the environment's order. */
export const ACTION_NAMES = ['lane left', 'idle', 'lane right', 'faster', 'slower'] as const;

export interface Viewport {
  /** Pixels per metre, the same along and across the road. */
  ppm: number;
  /** Screen x of the ego's centre, and the screen y of the road's top edge. */
  egoX: number;
  roadTop: number;
  roadHeight: number;
  /** Metres of road visible behind and ahead of the ego. */
  behind: number;
  ahead: number;
}

/** Fits the road to the canvas: the whole width in height, as many metres as fit along. */
export function fitViewport(s: Pick<WorldSnapshot, 'lanes' | 'laneWidth'>, width: number, height: number): Viewport {
  const roadMetres = s.lanes * s.laneWidth;
  const ppm = Math.min((height * 0.62) / roadMetres, width / 80);
  const roadHeight = roadMetres * ppm;
  const egoX = width * 0.3;
  return { ppm, egoX, roadTop: (height - roadHeight) / 2 + 8, roadHeight, behind: egoX / ppm, ahead: (width - egoX) / ppm };
}

/** Screen position of a vehicle's centre: `dx` metres ahead of the ego, `y` metres from lane 0's centre. */
export function toScreen(v: { dx: number; y: number }, s: Pick<WorldSnapshot, 'laneWidth'>, vp: Viewport): { x: number; y: number } {
  return { x: vp.egoX + v.dx * vp.ppm, y: vp.roadTop + (v.y + s.laneWidth / 2) * vp.ppm };
}

const COLORS = {
  sky: '#eef1f5',
  road: '#3b4048',
  shoulder: '#f0f2f5',
  edge: '#e8eaed',
  dash: 'rgba(255,255,255,0.7)',
  car: '#c9d1dc',
  carOutline: '#7d8590',
  ego: '#2f6feb',
  crashed: '#d1242f',
  text: '#1f2328',
  muted: '#656d76',
};

function roundRect(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number, r: number): void {
  ctx.beginPath();
  ctx.moveTo(x + r, y);
  ctx.arcTo(x + w, y, x + w, y + h, r);
  ctx.arcTo(x + w, y + h, x, y + h, r);
  ctx.arcTo(x, y + h, x, y, r);
  ctx.arcTo(x, y, x + w, y, r);
  ctx.closePath();
}

export interface DrawOptions {
  /** A caption in the display's corner, e.g. "training, episode 12" or "evaluation, seed 1000004". */
  caption?: string;
}

/** Draws one frame; `width`/`height` in CSS pixels (the context is already scaled for the device). */
export function drawHighway(ctx: CanvasRenderingContext2D, s: WorldSnapshot, width: number, height: number, options: DrawOptions = {}): void {
  const vp = fitViewport(s, width, height);
  const ego = s.vehicles.find((v) => v.ego);
  const egoX = ego?.x ?? 0;
  ctx.fillStyle = COLORS.sky;
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = COLORS.road;
  ctx.fillRect(0, vp.roadTop, width, vp.roadHeight);
  ctx.fillStyle = COLORS.edge;
  ctx.fillRect(0, vp.roadTop - 2, width, 2);
  ctx.fillRect(0, vp.roadTop + vp.roadHeight, width, 2);

  // Dashes are fixed to the road, so they slide past as the ego drives.
  const period = 12;
  const phase = ((egoX % period) + period) % period;
  ctx.strokeStyle = COLORS.dash;
  ctx.lineWidth = Math.max(1, vp.ppm * 0.15);
  ctx.setLineDash([period * 0.5 * vp.ppm, period * 0.5 * vp.ppm]);
  ctx.lineDashOffset = phase * vp.ppm;
  for (let lane = 1; lane < s.lanes; lane++) {
    const y = vp.roadTop + lane * s.laneWidth * vp.ppm;
    ctx.beginPath();
    ctx.moveTo(0, y);
    ctx.lineTo(width, y);
    ctx.stroke();
  }
  ctx.setLineDash([]);

  const len = s.vehicleLength * vp.ppm;
  const wid = s.vehicleWidth * vp.ppm;
  const visible = s.vehicles.filter((v) => v.dx > -vp.behind - s.vehicleLength && v.dx < vp.ahead + s.vehicleLength);
  // The ego last, so it is never hidden under a car it is colliding with.
  visible.sort((a, b) => Number(a.ego) - Number(b.ego));
  for (const v of visible) {
    const p = toScreen(v, s, vp);
    roundRect(ctx, p.x - len / 2, p.y - wid / 2, len, wid, Math.min(4, wid / 3));
    ctx.fillStyle = v.crashed ? COLORS.crashed : v.ego ? COLORS.ego : COLORS.car;
    ctx.fill();
    ctx.lineWidth = v.ego ? 2 : 1;
    ctx.strokeStyle = v.ego ? '#ffffff' : COLORS.carOutline;
    ctx.stroke();
    // A windscreen mark shows the direction of travel.
    ctx.fillStyle = v.ego ? 'rgba(255,255,255,0.75)' : 'rgba(31,35,40,0.35)';
    ctx.fillRect(p.x + len * 0.12, p.y - wid * 0.32, len * 0.14, wid * 0.64);
    if (v.ego && v.targetLane !== v.lane) {
      const dir = v.targetLane > v.lane ? 1 : -1;
      ctx.fillStyle = '#f0b400';
      ctx.beginPath();
      ctx.arc(p.x + len * 0.42, p.y + dir * wid * 0.5, Math.max(2, wid * 0.14), 0, Math.PI * 2);
      ctx.fill();
    }
  }

  drawHud(ctx, s, width, ego?.speed, options.caption);
}

function drawHud(ctx: CanvasRenderingContext2D, s: WorldSnapshot, width: number, speed: number | undefined, caption?: string): void {
  const action = s.lastAction === null ? '—' : (ACTION_NAMES[s.lastAction] ?? String(s.lastAction));
  const items: [string, string][] = [
    ['speed', speed === undefined ? '—' : `${speed.toFixed(1)} m/s · ${(speed * 3.6).toFixed(0)} km/h`],
    ['target', `${s.egoTargetSpeed.toFixed(0)} m/s`],
    ['action', action],
    ['return', s.episodeReturn.toFixed(2)],
    ['t', `${s.time.toFixed(1)} s`],
  ];
  ctx.font = '600 11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  let x = 10;
  for (const [label, value] of items) {
    ctx.fillStyle = COLORS.muted;
    ctx.fillText(label, x, 12);
    x += ctx.measureText(label).width + 5;
    ctx.fillStyle = COLORS.text;
    ctx.fillText(value, x, 12);
    x += ctx.measureText(value).width + 16;
  }
  if (caption) {
    ctx.fillStyle = COLORS.muted;
    ctx.textAlign = 'right';
    ctx.fillText(caption, width - 10, 12);
    ctx.textAlign = 'left';
  }
}
