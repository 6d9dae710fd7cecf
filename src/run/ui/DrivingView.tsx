/**
 * The RL driving view: a canvas repainted from the latest world snapshot. The worker sends
 * snapshots at a modest rate; this paints only when the throttled `version` moves on.
 */
import { useEffect, useRef } from 'react';
import type { WorldSnapshot } from '../../rl/highway/env';
import { drawHighway } from './draw-highway';
import { RewardBreakdown } from './RewardBreakdown';

export interface DrivingViewProps {
  snapshot: WorldSnapshot | null;
  version: number;
  caption?: string;
  height?: number;
}

export function DrivingView({ snapshot, version, caption, height = 180 }: DrivingViewProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const frames = useRef(0);

  useEffect(() => {
    const el = canvas.current;
    if (!el || !snapshot) return;
    const width = el.clientWidth || 600;
    const ratio = Math.min(2, globalThis.devicePixelRatio || 1);
    if (el.width !== Math.round(width * ratio) || el.height !== Math.round(height * ratio)) {
      el.width = Math.round(width * ratio);
      el.height = Math.round(height * ratio);
    }
    const ctx = el.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    drawHighway(ctx, snapshot, width, height, caption ? { caption } : {});
    frames.current++;
    el.dataset.frames = String(frames.current);
  }, [snapshot, version, caption, height]);

  return (
    <>
      <div className="rp-driving">
        <canvas ref={canvas} data-testid="driving-canvas" data-frames="0" style={{ height }} aria-label="Highway driving view" />
        {!snapshot && <p className="rp-driving-empty muted">The road appears here once the agent starts driving.</p>}
      </div>
      {/* Snapshots stored before reward terms existed carry none. */}
      {snapshot?.rewardTerms && <RewardBreakdown terms={snapshot.rewardTerms} episodeReturn={snapshot.episodeReturn} />}
    </>
  );
}
