import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RlEvent } from '../../src/protocol/rl';
import type { TrainerCheckpoint } from '../../src/protocol/rl-checkpoint';
import { BestWeights, VALIDATION_SEED, VALIDATION_SEED_ALTERNATE, validationSeed, validationSteps } from './keep-best';
import { RlRun } from './rl-run';
import { highwayPlan } from './rl-test-plans';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('keep the best: schedule and seeds', () => {
  it('validates evenly over the second half of training, the last at the final step', () => {
    expect(validationSteps(1000, 4)).toEqual([625, 750, 875, 1000]);
    expect(validationSteps(100_000, 1)).toEqual([100_000]);
  });

  it('draws validation seeds apart from the held-out range', () => {
    expect(validationSeed({ heldOutSeed: 1_000_000, episodes: 50 }, 20)).toBe(VALIDATION_SEED);
    expect(validationSeed({ heldOutSeed: VALIDATION_SEED - 10, episodes: 50 }, 20)).toBe(VALIDATION_SEED_ALTERNATE);
    expect(validationSeed({ heldOutSeed: VALIDATION_SEED + 19, episodes: 1 }, 20)).toBe(VALIDATION_SEED_ALTERNATE);
    expect(validationSeed({ heldOutSeed: VALIDATION_SEED + 20, episodes: 1 }, 20)).toBe(VALIDATION_SEED);
    expect(validationSeed(null, 20)).toBe(VALIDATION_SEED);
  });

  it('is due when a validation step falls within the steps just taken', () => {
    const best = new BestWeights([50, 100]);
    expect(best.due(40, 49)).toBe(false);
    expect(best.due(49, 50)).toBe(true);
    expect(best.due(48, 56)).toBe(true);
    expect(best.due(50, 99)).toBe(false);
  });
});

describe('BestWeights', () => {
  it('keeps the weights of the best score only and restores them', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
    const set = (v: number): void => model.setWeights(model.weights.map((w) => tf.fill(w.shape as number[], v)));
    const values = async (): Promise<number[]> => [...(await model.weights[0]!.read().data())];
    const best = new BestWeights([1, 2, 3]);
    expect(best.restoreInto(model)).toBe(false);
    set(1);
    expect(await best.consider(1, 5, model)).toBe(true);
    set(2);
    expect(await best.consider(2, 4, model)).toBe(false);
    set(3);
    // A tie keeps the earlier weights.
    expect(await best.consider(3, 5, model)).toBe(false);
    expect(best.state).toMatchObject({ step: 1, score: 5 });
    expect(best.restoreInto(model)).toBe(true);
    expect(new Set(await values())).toEqual(new Set([1]));
    model.dispose();
  });

  it('ranks the best three, and validating them again keeps the best over both sets', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
    const set = (v: number): void => model.setWeights(model.weights.map((w) => tf.fill(w.shape as number[], v)));
    const loaded = async (): Promise<number> => (await model.weights[0]!.read().data())[0]!;
    const best = new BestWeights([1, 2, 3, 4, 5]);
    // Weights equal to the step, so each contender is recognisable when loaded.
    for (const [step, score] of [[1, 10], [2, 14], [3, 12], [4, 11], [5, 13]] as const) {
      set(step);
      expect(await best.consider(step, score, model)).toBe(step <= 2);
    }
    expect(best.state).toMatchObject({ step: 2, score: 14 });
    expect(best.runnersUp.map((c) => [c.step, c.score])).toEqual([[5, 13], [3, 12]]);
    expect(best.confirmed).toBe(false);

    // Second-set returns by the weights in the network: step 2 crashes there, step 5 does not.
    const second: Record<number, number> = { 2: 6, 5: 12, 3: 12.5 };
    const seen: number[] = [];
    const chosen = await best.confirm(model, 50, async (contender) => {
      const w = await loaded();
      seen.push(w);
      expect(w).toBe(contender.step);
      return second[w]!;
    });
    expect(seen).toEqual([2, 5, 3]);
    // Means over both sets: 10, 12.5, 12.25.
    expect(chosen).toMatchObject({ step: 5, score: 12.5, confirmedOn: 100 });
    expect(best.state).toBe(chosen);
    expect(best.runnersUp).toEqual([]);
    expect(best.confirmed).toBe(true);
    expect(best.restoreInto(model)).toBe(true);
    expect(await loaded()).toBe(5);
    // Once chosen, nothing is scored again.
    expect(await best.confirm(model, 50, () => Promise.reject(new Error('scored again')))).toBe(chosen);
    model.dispose();
  });

  it('scores nothing again when a single validation was kept', async () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ units: 1, inputShape: [1] })] });
    const best = new BestWeights([1]);
    await best.consider(1, 3, model);
    expect(await best.confirm(model, 50, () => Promise.reject(new Error('scored')))).toMatchObject({ step: 1, score: 3 });
    expect(best.confirmed).toBe(false);
    model.dispose();
  });
});

describe('RlRun keeping the best', () => {
  const agent = { totalSteps: 240, learningStarts: 40, replaySize: 500, batchSize: 8, targetSync: 30, epsilonDecaySteps: 200, keepBest: true, validations: 3, validationEpisodes: 2 };
  const plan = () => highwayPlan({ environment: { vehicles: 10, episodeSeconds: 8 }, agent, hidden: [16] });

  /** The checkpoint of a run stopped at its first progress event at or past `step`. */
  async function stoppedAt(step: number): Promise<TrainerCheckpoint | undefined> {
    let saved: TrainerCheckpoint | undefined;
    const run: RlRun = new RlRun(plan(), {
      backend: 'cpu',
      emit: (e) => {
        if (e.type === 'progress' && e.step >= step) run.stop();
        if (e.type === 'checkpoint') saved = e.payload;
      },
      progressIntervalMs: 0,
    });
    expect(await run.run()).toBe('stopped');
    run.dispose();
    return saved;
  }

  async function weightsOf(run: RlRun): Promise<number[]> {
    const saved = await run.checkpoint(false);
    return saved.agent.online.flatMap((t) => [...t.values]);
  }

  it('validates at its steps, ends on the best-validated weights and says which', async () => {
    const events: RlEvent[] = [];
    const run = new RlRun(highwayPlan({ environment: { vehicles: 10, episodeSeconds: 8 }, agent, hidden: [16], evaluator: { episodes: 1, baselines: [] } }), {
      backend: 'cpu',
      emit: (e) => events.push(e),
    });
    expect(await run.run()).toBe('completed');
    const texts = events.flatMap((e) => (e.type === 'status' ? [e.text] : []));
    expect(texts.filter((t) => t.startsWith('validated at step')).map((t) => Number(/step (\d+)/.exec(t)![1]))).toEqual([160, 200, 240]);
    // Each validation is announced before it starts (the bench times it between the two).
    expect(texts.filter((t) => /^validat(ing|ed) at step/.test(t)).map((t) => t.slice(0, 10))).toEqual(Array(3).fill(['validating', 'validated ']).flat());
    // Then the three kept are validated again, each announced and reported.
    const again = texts.filter((t) => /^validat(ing|ed) step \d+ again/.test(t));
    expect(again.map((t) => t.slice(0, 10))).toEqual(Array(3).fill(['validating', 'validated ']).flat());
    expect(new Set(again.map((t) => Number(/step (\d+)/.exec(t)![1])))).toEqual(new Set([160, 200, 240]));
    const kept = texts.find((t) => t.startsWith('kept the weights of step'));
    expect(kept).toContain('over 4 episodes');
    const saved = await run.checkpoint(false);
    expect(saved.best).toMatchObject({ confirmedOn: 4 });
    expect(saved.runnersUp).toBeUndefined();
    expect(kept).toContain(`step ${saved.best!.step}:`);
    // The network the run ends with is the best-validated one, and the evaluation says so.
    expect(await weightsOf(run)).toEqual(saved.best!.weights.flatMap((t) => [...t.values]));
    const evaluation = events.find((e) => e.type === 'evaluation');
    expect(evaluation?.type === 'evaluation' && evaluation.evaluation.kind === 'driving' && evaluation.evaluation.kept).toEqual({
      step: saved.best!.step,
      validationReturn: saved.best!.score,
      validations: 3,
      validationEpisodes: 2,
      confirmedOn: 4,
    });
    run.dispose();
  });

  it('carries the best weights through a stop and resume, choosing as the uninterrupted run does', async () => {
    const straight = new RlRun(plan(), { backend: 'cpu', emit: () => {} });
    await straight.run();
    const expected = await straight.checkpoint(false);
    straight.dispose();

    const saved = await stoppedAt(170);
    // Stopped after the first validation (step 160): the checkpoint holds its weights.
    expect(saved?.best?.step).toBe(160);
    const resumed = new RlRun(plan(), { backend: 'cpu', emit: () => {}, resumeFrom: saved });
    expect(await resumed.run()).toBe('completed');
    const after = await resumed.checkpoint(false);
    expect(after.best?.step).toBe(expected.best?.step);
    expect(after.best?.score).toBe(expected.best?.score);
    expect(after.agent.online).toEqual(expected.agent.online);
    resumed.dispose();

    // A best no later validation can beat: the resumed run must end on exactly those weights.
    const unbeatable = { ...saved!, best: { ...saved!.best!, score: 1e9 } };
    const again = new RlRun(plan(), { backend: 'cpu', emit: () => {}, resumeFrom: unbeatable });
    expect(await again.run()).toBe('completed');
    const end = await again.checkpoint(false);
    expect(end.best?.step).toBe(160);
    expect(end.agent.online.map((t) => [...t.values])).toEqual(saved!.best!.weights.map((t) => [...t.values]));
    again.dispose();
  });

  it('carries the runners-up through a stop and resume, and they stay in contention', async () => {
    const saved = await stoppedAt(210);
    // Two validations by then (steps 160 and 200): one best, one runner-up, nothing confirmed yet.
    expect(saved?.best?.confirmedOn).toBeUndefined();
    expect(saved?.runnersUp).toHaveLength(1);
    // A runner-up no later weights can beat over both sets: the resumed run must choose it.
    const runnerUp = saved!.runnersUp![0]!;
    const resumed = new RlRun(plan(), { backend: 'cpu', emit: () => {}, resumeFrom: { ...saved!, runnersUp: [{ ...runnerUp, score: 1e9 }] } });
    expect(await resumed.run()).toBe('completed');
    const end = await resumed.checkpoint(false);
    expect(end.best?.step).toBe(runnerUp.step);
    expect(end.agent.online.map((t) => [...t.values])).toEqual(runnerUp.weights.map((t) => [...t.values]));
    resumed.dispose();
  });
});
