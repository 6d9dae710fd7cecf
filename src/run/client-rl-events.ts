/**
 * Translates the RL worker's events (src/protocol/rl.ts) into the panel's vocabulary
 * (client-types.ts): progress becomes metrics plus a world snapshot, episodes become return points,
 * the evaluation becomes the baselines table.
 */
import type { RlEvent } from '../protocol/rl';
import type { ClientEvent } from './client-types';

const RETRYABLE = new Set(['backend', 'unknown']);

/** Bytes held in typed arrays inside a structured-clone payload (a checkpoint), for the history list. */
export function payloadBytes(value: unknown, depth = 0): number {
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (value instanceof ArrayBuffer) return value.byteLength;
  if (depth > 6 || typeof value !== 'object' || value === null) return 0;
  let n = 0;
  for (const v of Object.values(value)) n += payloadBytes(v, depth + 1);
  return n;
}

export class RlEventAdapter {
  private step = 0;
  private episode = 0;

  adapt(e: RlEvent): ClientEvent[] {
    switch (e.type) {
      case 'backend':
        return [{ type: 'backend', report: { used: e.backend, skipped: e.attempts.filter((a) => !a.ok).map((a) => ({ backend: a.backend, reason: a.reason ?? 'failed' })) } }];
      case 'status':
        return [{ type: 'status', text: e.text }];
      case 'progress': {
        this.step = e.step;
        this.episode = e.episode;
        const r = e.recent;
        const out: ClientEvent[] = [
          {
            type: 'rl',
            metrics: {
              step: e.step,
              totalSteps: e.totalSteps,
              episode: e.episode,
              epsilon: e.epsilon,
              stepsPerSecond: e.stepsPerSecond,
              ...(e.loss !== null ? { loss: e.loss } : {}),
              // Averages exist only once an episode has ended.
              ...(r.episodes > 0
                ? { meanReturn: r.meanReturn, collisionRate: r.collisionRate, ...(r.meanSpeed !== null ? { meanSpeed: r.meanSpeed } : {}) }
                : {}),
            },
          },
        ];
        if (e.frame) out.push({ type: 'world', snapshot: e.frame, caption: `training · episode ${e.episode + 1}` });
        return out;
      }
      case 'episode':
        return [{ type: 'rl', metrics: { step: this.step, episode: this.episode, episodeReturn: e.report.return } }];
      case 'paused':
        return [{ type: 'paused' }];
      case 'resumed':
        return [{ type: 'resumed' }];
      case 'checkpoint':
        // RL has no epochs: checkpoints are numbered by the environment step they were taken at.
        return [{ type: 'checkpoint', epoch: e.step, step: e.step, payload: e.checkpoint, bytes: payloadBytes(e.checkpoint) }];
      case 'evaluation-progress':
        return [{ type: 'status', text: `Evaluating ${e.policy === 'agent' ? 'the agent' : e.policy}: episode ${e.episode} of ${e.episodes}` }];
      case 'evaluation':
        return [
          {
            type: 'evaluation',
            evaluation: {
              kind: 'driving',
              heldOutSeed: e.report.heldOutSeed,
              rows: e.report.rows.map((r) => ({ policy: r.policy, label: r.label, episodes: r.episodes, meanReturn: r.meanReturn, meanSpeed: r.meanSpeed, collisionRate: r.collisionRate })),
            },
          },
        ];
      case 'done':
        return [{ type: 'done', reason: e.reason }];
      case 'failed':
        return [{ type: 'failed', message: e.reason, retryable: RETRYABLE.has(e.kind), ...(e.backend ? { backend: e.backend } : {}) }];
    }
  }
}
