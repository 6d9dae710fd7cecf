/**
 * Whether an Optimizer's learning-rate schedule can run its course within the run's epochs. A
 * warm-up as long as the run, or a step decay due after the last epoch, trains without a word at
 * a rate nobody chose (the ResNet preset set to 1 epoch with its 2-epoch one-cycle warm-up only
 * ever rose, and scored 44.6 %). Each misfit comes with the one edit that makes it fit.
 */
import type { NodeIssue, QuickFix } from '../../src/graph/diagnostics';

/** The Optimizer params a schedule depends on (see `lr-schedule.ts`). */
export interface ScheduleFitParams {
  schedule: 'constant' | 'step' | 'cosine' | 'onecycle';
  warmupEpochs: number;
  stepEvery: number;
  epochs: number;
  /** A time budget makes the schedule fit by construction (it runs over the budget, not the epochs). */
  budgetMinutes?: number;
}

/** Share of the run the fix gives to warm-up: long enough to settle, short of the decay. */
export const FITTED_WARMUP_SHARE = 0.15;

/** A warm-up of ~15 % of `epochs`, in hundredths of an epoch (warm-up may be fractional). */
export function fittedWarmup(epochs: number): number {
  return Math.max(0.01, Math.round(epochs * FITTED_WARMUP_SHARE * 100) / 100);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Diagnostics for a schedule that cannot complete within `p.epochs`; empty when it fits. */
export function scheduleIssues(p: ScheduleFitParams): NodeIssue[] {
  const issues: NodeIssue[] = [];
  if ((p.budgetMinutes ?? 0) > 0) return issues;
  if (p.warmupEpochs > 0 && p.warmupEpochs >= p.epochs) {
    const warmup = fittedWarmup(p.epochs);
    const fix: QuickFix = { kind: 'set-params', label: `Warm up for ${plural(warmup, 'epoch')}`, params: { warmupEpochs: warmup } };
    const run = plural(p.epochs, 'epoch');
    const what =
      p.schedule === 'onecycle'
        ? 'the one-cycle rate would rise for the whole run and never come down'
        : p.schedule === 'cosine'
          ? 'the rate would climb for the whole run and never decay'
          : 'the rate would still be warming up when the run ends and never reach its learning rate';
    // Cosine and one-cycle would never anneal, which ruins a run; constant and step rates (step
    // decays during warm-up too) only stay below the peak, which a user may mean.
    const neverDecays = p.schedule === 'onecycle' || p.schedule === 'cosine';
    issues.push({
      severity: neverDecays ? 'error' : 'warning',
      code: 'schedule-incomplete',
      param: 'warmupEpochs',
      message: `warm-up of ${plural(p.warmupEpochs, 'epoch')} is not shorter than the run (${run}): ${what}; warm up for about 15% of it`,
      fix,
    });
  }
  if (p.schedule === 'step' && p.stepEvery >= p.epochs) {
    // The first decay comes at the start of epoch `stepEvery + 1`, which a run this short never reaches.
    const every = Math.max(1, Math.floor(p.epochs / 3));
    const fix: QuickFix =
      p.epochs > 1
        ? { kind: 'set-params', label: `Decay every ${plural(every, 'epoch')}`, params: { stepEvery: every } }
        : { kind: 'set-params', label: 'Use a cosine schedule', params: { schedule: 'cosine' } };
    issues.push({
      severity: 'error',
      code: 'schedule-incomplete',
      param: 'stepEvery',
      message:
        p.epochs > 1
          ? `the step schedule decays every ${plural(p.stepEvery, 'epoch')}, but the run has ${plural(p.epochs, 'epoch')}: the rate would never decay`
          : 'a step schedule decays between epochs, and a 1-epoch run has none: the rate would never decay; use a cosine schedule',
      fix,
    });
  }
  return issues;
}
