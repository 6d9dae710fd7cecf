/**
 * The Optimizer node's learning-rate schedule as a Python function of the step, written for the
 * one kind the plan uses; the same formulas as the app's `makeSchedule`.
 */
import type { StagePlan } from '../../graph/plan';
import { pyNumber } from './names';
import { num, str } from './params';

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
  const cosine = 'def cosine_between(start, end, t):\n    return end + (start - end) * 0.5 * (1 + math.cos(math.pi * min(1.0, max(0.0, t))))\n\n\n';
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
