/**
 * Translates the supervised training worker's events (src/protocol/train.ts) into the panel's
 * vocabulary (client-types.ts). Pure, apart from remembering the latest step for epoch events.
 */
import type { TrainEvent } from '../protocol/train';
import type { ClientEvent } from './client-types';

/** Failures another backend might not have. A diverged loss or a bad plan fails everywhere. */
const RETRYABLE = new Set(['backend', 'unknown']);

export class SupervisedEventAdapter {
  private lastStep = 0;

  adapt(e: TrainEvent): ClientEvent[] {
    switch (e.type) {
      case 'backend':
        return [
          {
            type: 'backend',
            report: { used: e.backend, skipped: e.attempts.filter((a) => !a.ok).map((a) => ({ backend: a.backend, reason: a.reason ?? 'failed' })) },
          },
        ];
      case 'status':
        return [{ type: 'status', text: e.text }];
      case 'step':
        this.lastStep = e.step;
        return [
          {
            type: 'step',
            metrics: {
              step: e.step,
              epoch: e.epoch,
              epochProgress: e.stepsPerEpoch > 0 ? e.epochStep / e.stepsPerEpoch : 0,
              totalSteps: e.totalSteps,
              loss: e.loss,
              accuracy: e.acc,
              learningRate: e.lr,
              imagesPerSecond: e.imagesPerSec,
            },
          },
        ];
      case 'epoch':
        return [
          {
            type: 'epoch',
            metrics: {
              epoch: e.epoch + 1,
              step: this.lastStep,
              loss: e.trainLoss,
              accuracy: e.trainAcc,
              ...(e.valLoss !== undefined ? { valLoss: e.valLoss } : {}),
              ...(e.valAcc !== undefined ? { valAccuracy: e.valAcc } : {}),
            },
          },
        ];
      case 'paused':
        return [{ type: 'paused' }];
      case 'resumed':
        return [{ type: 'resumed' }];
      case 'checkpoint':
        return [
          { type: 'checkpoint', epoch: e.checkpoint.epoch, step: e.checkpoint.step, payload: e.checkpoint, bytes: e.checkpoint.weightData.byteLength + (e.checkpoint.optimizer?.data.byteLength ?? 0) },
        ];
      case 'evaluation':
        return [{ type: 'evaluation', evaluation: { kind: 'classification', split: e.split, ...e.report } }];
      case 'done':
        return [{ type: 'done', reason: e.reason }];
      case 'failed':
        return [
          {
            type: 'failed',
            message: e.reason,
            retryable: RETRYABLE.has(e.kind),
            ...(e.backend ? { backend: e.backend } : {}),
          },
        ];
    }
  }
}
