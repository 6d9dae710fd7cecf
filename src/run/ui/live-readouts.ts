/**
 * What the run panel shows live beside the run's state: the throughput and epoch-rate meters,
 * how far the current epoch is, the road the RL worker last drew, and an autoencoder's
 * reconstruction grids. Folded from the worker's events by `RunSession`; no React, no TF.js.
 */
import type { WorldSnapshot } from '../../rl/highway/env';
import type { ReconstructionGrid } from '../../protocol/events';
import type { RunEvent } from '../client-types';
import type { RunRecord } from '../runs-db-record';
import { RateMeter } from './frame-throttle';

export class LiveReadouts {
  snapshot: WorldSnapshot | null = null;
  snapshotCaption: string | undefined;
  /** One per epoch: this page's, or a shown record's evaluation's. */
  grids: readonly ReconstructionGrid[] = [];
  /** Fraction of the current epoch done (supervised). */
  epochProgress = 0;
  private readonly throughput = new RateMeter();
  private readonly epochMeter = new RateMeter(4000);

  /** Smoothed throughput: images/s (supervised) or environment steps/s (RL). */
  get rate(): number {
    return this.throughput.rate;
  }

  /** Smoothed epochs per second (supervised), for the ETA. */
  get epochRate(): number {
    return this.epochMeter.rate;
  }

  /** Starts over for `record` (a new run, a resumed one, or one shown from the history). */
  reset(record: RunRecord): void {
    this.snapshot = null;
    this.snapshotCaption = undefined;
    const evaluation = record.evaluation as { kind?: string; grids?: ReconstructionGrid[] } | undefined;
    this.grids = evaluation?.kind === 'reconstruction' && Array.isArray(evaluation.grids) ? evaluation.grids : [];
    this.epochProgress = 0;
    this.throughput.reset();
    this.epochMeter.reset();
  }

  /** Folds in one event from the worker, received at `t` ms. */
  update(e: RunEvent, t: number): void {
    switch (e.type) {
      case 'step':
        this.epochProgress = e.stepsPerEpoch > 0 ? e.epochStep / e.stepsPerEpoch : 0;
        this.epochMeter.update(e.epoch + this.epochProgress, t);
        this.throughput.rate = e.imagesPerSecond;
        break;
      case 'epoch':
        this.epochProgress = 0;
        break;
      case 'progress':
        this.throughput.rate = e.stepsPerSecond;
        if (e.frame) {
          this.snapshot = e.frame;
          this.snapshotCaption = `training · episode ${e.episode + 1}`;
        }
        break;
      case 'world':
        this.snapshot = e.snapshot;
        this.snapshotCaption = e.caption;
        break;
      case 'reconstructions':
        this.grids = [...this.grids, e.grid];
        break;
      case 'paused':
        // Idle time must not drag the rates down.
        this.throughput.reset();
        this.epochMeter.reset();
        break;
      default:
        break;
    }
  }
}
