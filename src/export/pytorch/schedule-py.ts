/**
 * The Optimizer node's learning-rate schedule as a Python function, written for the one kind the
 * plan uses: of the step (the same formulas as the app's `makeSchedule`), or, with a time budget,
 * of the share of the budget trained (the same formulas as `makeTimeSchedule`).
 */
import { ONECYCLE_START_DIVISOR } from '../../../nodes/training/lr-schedule';
import type { StagePlan } from '../../graph/plan';
import { pyNumber } from './names';
import { num, str } from './params';

const COSINE_BETWEEN = 'def cosine_between(start, end, t):\n    return end + (start - end) * 0.5 * (1 + math.cos(math.pi * min(1.0, max(0.0, t))))\n\n\n';

/** `learning_rate(step, steps_per_epoch, epochs)` and the line describing it. */
export function schedulePy(optimizer: StagePlan): { code: string; summary: string } {
  const kind = str(optimizer, 'schedule', ['constant', 'step', 'cosine', 'onecycle'] as const);
  const peak = pyNumber(num(optimizer, 'learningRate'));
  const warmup = num(optimizer, 'warmupEpochs');
  const floor = num(optimizer, 'minLearningRateFraction');
  const head = [
    'def learning_rate(step, steps_per_epoch, epochs):',
  ];
  const total = [
    '    total = max(1, epochs * steps_per_epoch)',
    '    step = min(max(0, step), total - 1)',
  ];
  const cosine = COSINE_BETWEEN;
  if (kind === 'onecycle') {
    return {
      summary: `one-cycle: cosine rise from ${peak}/25 to ${peak}, then down to ${pyNumber(num(optimizer, 'learningRate') * floor)}`,
      code:
        cosine +
        [
          ...head,
          `    """One-cycle: cosine rise from peak/25 over ${warmup > 0 ? `${pyNumber(warmup)} warm-up epochs` : '30% of training'}, then cosine fall to the floor."""`,
          ...total,
          `    rise = max(1, ${warmup > 0 ? `min(total, math.floor(${pyNumber(warmup)} * steps_per_epoch + 0.5))` : 'math.floor(0.3 * total + 0.5)'})`,
          '    if step < rise:',
          `        return cosine_between(${peak} / 25, ${peak}, step / rise)`,
          `    return cosine_between(${peak}, ${pyNumber(num(optimizer, 'learningRate') * floor)}, (step - rise) / max(1, total - 1 - rise))`,
        ].join('\n'),
    };
  }
  const lines = [...head];
  let summary: string;
  if (kind === 'constant') summary = `constant ${peak}`;
  else if (kind === 'step') summary = `${peak} × ${pyNumber(num(optimizer, 'stepGamma'))} every ${num(optimizer, 'stepEvery')} epochs`;
  else summary = `cosine from ${peak} to ${pyNumber(num(optimizer, 'learningRate') * floor)}`;
  if (warmup > 0) summary += `, ${pyNumber(warmup)} warm-up epochs`;
  lines.push(`    """${summary[0]!.toUpperCase()}${summary.slice(1)}."""`, ...total);
  if (warmup > 0) lines.push(`    warmup = min(total, math.floor(${pyNumber(warmup)} * steps_per_epoch + 0.5))`);
  if (kind === 'constant') lines.push(`    rate = ${peak}`);
  if (kind === 'step') lines.push(`    rate = ${peak} * ${pyNumber(num(optimizer, 'stepGamma'))} ** (step // steps_per_epoch // ${num(optimizer, 'stepEvery')})`);
  if (kind === 'cosine') {
    const start = warmup > 0 ? 'warmup' : '0';
    lines.push(`    rate = cosine_between(${peak}, ${pyNumber(num(optimizer, 'learningRate') * floor)}, (step - ${start}) / max(1, total - 1 - ${start}))`);
  }
  if (warmup > 0) lines.push('    return rate * (step + 1) / warmup if step < warmup else rate');
  else lines.push('    return rate');
  return { summary, code: (kind === 'cosine' ? cosine : '') + lines.join('\n') };
}

/**
 * `budget_learning_rate(fraction, step, steps_per_epoch)` for a run with a time budget: `fraction`
 * is the share of the budget trained so far. Warm-up takes the first `budgetWarmupFraction` of it;
 * cosine and one-cycle reach their floor exactly at the deadline.
 */
export function budgetSchedulePy(optimizer: StagePlan): { code: string; summary: string } {
  const kind = str(optimizer, 'schedule', ['constant', 'step', 'cosine', 'onecycle'] as const);
  const rate = num(optimizer, 'learningRate');
  const peak = pyNumber(rate);
  const floor = pyNumber(rate * num(optimizer, 'minLearningRateFraction'));
  // The app clamps the share the same way, so a warm-up never takes the whole budget.
  const w = Math.min(0.99, Math.max(0, num(optimizer, 'budgetWarmupFraction')));
  const warm = `${pyNumber(100 * w)}% of the budget`;
  const summary = {
    onecycle: `one-cycle over the time budget: cosine rise from ${peak}/${ONECYCLE_START_DIVISOR} to ${peak} over the first ${warm}, then down to ${floor} at the deadline`,
    cosine: `cosine over the time budget: linear warm-up to ${peak} over the first ${warm}, then down to ${floor} at the deadline`,
    constant: `constant ${peak} after a linear warm-up over the first ${warm}`,
    step: `${peak} × ${pyNumber(num(optimizer, 'stepGamma'))} every ${num(optimizer, 'stepEvery')} epochs, after a linear warm-up over the first ${warm}`,
  }[kind];
  const lines = [
    'def budget_learning_rate(fraction, step, steps_per_epoch):',
    `    """${summary[0]!.toUpperCase()}${summary.slice(1)}; \`fraction\`: the share of the budget trained so far."""`,
    '    f = min(1.0, max(0.0, fraction))',
  ];
  const decay = w > 0 ? `(f - ${pyNumber(w)}) / ${pyNumber(1 - w)}` : 'f';
  if (kind === 'onecycle') {
    if (w > 0) lines.push(`    if f < ${pyNumber(w)}:`, `        return cosine_between(${peak} / ${ONECYCLE_START_DIVISOR}, ${peak}, f / ${pyNumber(w)})`);
    lines.push(`    return cosine_between(${peak}, ${floor}, ${decay})`);
  } else {
    if (w > 0) lines.push(`    if f < ${pyNumber(w)}:`, `        return ${peak} * f / ${pyNumber(w)}`);
    if (kind === 'cosine') lines.push(`    return cosine_between(${peak}, ${floor}, ${decay})`);
    if (kind === 'step') lines.push(`    return ${peak} * ${pyNumber(num(optimizer, 'stepGamma'))} ** (step // steps_per_epoch // ${num(optimizer, 'stepEvery')})`);
    if (kind === 'constant') lines.push(`    return ${peak}`);
  }
  const usesCosine = kind === 'onecycle' || kind === 'cosine';
  return { summary, code: (usesCosine ? COSINE_BETWEEN : '') + lines.join('\n') };
}
