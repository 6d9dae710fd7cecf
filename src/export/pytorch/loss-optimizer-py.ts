/**
 * The Loss and Optimizer nodes as Python: train.py's \`loss_fn\` and \`make_optimizer\`, with the
 * one-line summaries its docstring and the README print.
 */
import type { SupervisedPlan } from '../../graph/plan';
import { pyNumber } from './names';
import { bool, num, str } from './params';

/** `loss_fn(out, labels)`: the Loss node on the model's output (logits, or probabilities after a softmax). */
export function lossPy(plan: SupervisedPlan): { code: string; summary: string } {
  const kind = str(plan.loss, 'loss', ['softmaxCrossEntropy', 'mse', 'huber'] as const);
  const smoothing = num(plan.loss, 'labelSmoothing');
  const last = plan.model.ops.find((op) => op.id === plan.model.output)?.spec;
  const probabilities = last?.op === 'activation' && last.fn === 'softmax';
  if (kind === 'softmaxCrossEntropy' && !probabilities) {
    return {
      summary: `cross-entropy${smoothing > 0 ? `, label smoothing ${pyNumber(smoothing)}` : ''}`,
      code: `loss_fn = nn.CrossEntropyLoss(${smoothing > 0 ? `label_smoothing=${pyNumber(smoothing)}` : ''})`,
    };
  }
  if (kind === 'softmaxCrossEntropy') {
    const target = smoothing > 0 ? `F.one_hot(labels, NUM_CLASSES) * ${pyNumber(1 - smoothing)} + ${pyNumber(smoothing)} / NUM_CLASSES` : 'F.one_hot(labels, NUM_CLASSES)';
    return {
      summary: `cross-entropy on the model's softmax output${smoothing > 0 ? `, label smoothing ${pyNumber(smoothing)}` : ''}`,
      code: [
        'def loss_fn(probs, labels):',
        '    """Cross-entropy of probabilities (the model ends in a softmax), floored at 1e-7 as in the app."""',
        `    target = ${target}`,
        '    return -(target * probs.clamp(1e-7, 1).log()).sum(1).mean()',
      ].join('\n'),
    };
  }
  const fn = kind === 'mse' ? 'F.mse_loss(out, F.one_hot(labels, NUM_CLASSES).float())' : `F.huber_loss(out, F.one_hot(labels, NUM_CLASSES).float(), delta=${pyNumber(num(plan.loss, 'huberDelta'))})`;
  return {
    summary: kind === 'mse' ? 'mean squared error on one-hot labels' : `Huber (δ ${pyNumber(num(plan.loss, 'huberDelta'))}) on one-hot labels`,
    code: ['def loss_fn(out, labels):', `    return ${fn}`].join('\n'),
  };
}

/** `make_optimizer(model)`: the Optimizer node's optimizer and weight decay, biases and BatchNorm undecayed. */
export function optimizerPy(plan: SupervisedPlan): { code: string; summary: string } {
  const o = plan.optimizer;
  const kind = str(o, 'optimizer', ['sgd', 'adam', 'adamw'] as const);
  const lr = pyNumber(num(o, 'learningRate'));
  const decay = num(o, 'weightDecay');
  const args =
    kind === 'sgd'
      ? [`lr=${lr}`, `momentum=${pyNumber(num(o, 'momentum'))}`, ...(bool(o, 'nesterov') ? ['nesterov=True'] : [])]
      : [`lr=${lr}`, `betas=(${pyNumber(num(o, 'beta1'))}, ${pyNumber(num(o, 'beta2'))})`, `eps=${pyNumber(num(o, 'epsilon'))}`];
  const cls = { sgd: 'SGD', adam: 'Adam', adamw: 'AdamW' }[kind];
  const how = kind === 'adamw' ? 'decoupled weight decay' : 'L2 weight decay';
  const summary = `${cls} (${args.join(', ')})${decay > 0 ? `, ${how} ${pyNumber(decay)} on conv and dense kernels` : ''}`;
  const lines = ['def make_optimizer(model):'];
  if (decay > 0) {
    lines.push(
      `    """${summary}; biases and BatchNorm stay undecayed, as in the app."""`,
      '    kernels = [m.weight for m in model.modules() if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear))]',
      '    others = [p for p in model.parameters() if all(p is not k for k in kernels)]',
      `    groups = [{"params": kernels, "weight_decay": ${pyNumber(decay)}}, {"params": others, "weight_decay": 0.0}]`,
      `    return torch.optim.${cls}(groups, ${args.join(', ')})`,
    );
  } else {
    lines.push(`    """${summary}."""`, `    return torch.optim.${cls}(model.parameters(), ${args.join(', ')}${kind === 'adamw' ? ', weight_decay=0.0' : ''})`);
  }
  return { summary, code: lines.join('\n') };
}
