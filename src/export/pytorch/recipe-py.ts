/**
 * The parts of train.py that the app's training recipe adds when the graph asks for them: the
 * Optimizer's weight average (`emaDecay`) and time budget (`budgetMinutes`), and the Evaluator's
 * test-time flips (`flipAveraging`). Each is written only when set, so a script without them reads
 * as if they never existed.
 */
import type { SupervisedPlan } from '../../graph/plan';
import { pyNumber } from './names';
import { boolOr, numOr } from './params';

/** The recipe settings of a plan; absent ones (plans stored before they existed) are off. */
export interface Recipe {
  /** Minutes of training, 0 when the run counts epochs. */
  budgetMinutes: number;
  /** The weight average's decay, 0 when none is kept. */
  emaDecay: number;
  flipAveraging: boolean;
}

export function recipeOf(plan: SupervisedPlan): Recipe {
  return {
    budgetMinutes: numOr(plan.optimizer, 'budgetMinutes', 0),
    emaDecay: numOr(plan.optimizer, 'emaDecay', 0),
    flipAveraging: boolOr(plan.evaluator, 'flipAveraging', false),
  };
}

/**
 * `WeightAverage`: the app's `workers/supervised/trainer-ema.ts` in PyTorch. Every floating-point
 * entry of the state dict is averaged, BatchNorm's running statistics included, as the app averages
 * every weight of its model; the decay is held lower for the first steps in the same way.
 */
export function weightAveragePy(decay: number): string {
  return `class WeightAverage:
    """An exponential moving average of the model (decay ${pyNumber(decay)}), kept as a second copy of it.

    Validation, the final evaluation, checkpoints and weights.pt use the average, as in the app.
    """

    def __init__(self, model, decay=EMA_DECAY):
        self.decay = decay
        self.model = copy.deepcopy(model)
        for p in self.model.parameters():
            p.requires_grad_(False)

    def decay_at(self, step):
        """Lower for the first steps, so the average does not linger on the starting weights (the app's emaDecayAt)."""
        return min(self.decay, (1 + step) / (10 + step))

    @torch.no_grad()
    def update(self, model, step):
        """Folds in the weights after optimizer step \`step\` (counted from 1)."""
        d = self.decay_at(step)
        for average, current in zip(self.model.state_dict().values(), model.state_dict().values()):
            if average.is_floating_point():
                average.mul_(d).add_(current, alpha=1 - d)
            else:
                average.copy_(current)`;
}

/**
 * `trained_seconds(...)`: the budget's clock. Under torchrun every process takes process 0's
 * reading, so all take the same learning rate (their weights stay equal) and stop at the same step
 * (a process that stopped alone would leave the others waiting in a collective forever).
 */
export function budgetClockPy(): string {
  return `def trained_seconds(before, started, device):
    """Training time so far (\`before\`: that of the run a checkpoint resumes); process 0's under torchrun."""
    t = torch.tensor([before + time.time() - started], dtype=torch.float64, device=device)
    if dist.is_initialized():
        dist.broadcast(t, 0)
    return t.item()`;
}

/** The evaluation's forward pass: plain, or the mean of the image's and its mirror image's outputs. */
export function evaluatedOutputPy(flip: boolean): string[] {
  if (!flip) return ['        out = model(x)'];
  return [
    '        # Test-time flips, as the Evaluator asks: the mean of the outputs on the image and on its mirror image',
    '        # (left-right; width is the last axis), the same outputs the model ends with (logits or probabilities).',
    '        out = (model(x) + model(x.flip(3))) / 2',
  ];
}
