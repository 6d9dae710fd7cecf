/**
 * train.py: the plan's loss, optimizer, schedule and fit settings as a plain PyTorch loop that runs
 * in one process or under torchrun (DistributedDataParallel), with the Evaluator's report at the end.
 * The recipe settings (time budget, weight average, test-time flips; `recipe-py.ts`) are written in
 * only when the graph sets them.
 */
import type { SupervisedPlan } from '../../graph/plan';
import { lossPy, optimizerPy } from './loss-optimizer-py';
import { pyNumber } from './names';
import { num } from './params';
import { budgetClockPy, evaluatedOutputPy, recipeOf, weightAveragePy } from './recipe-py';
import { budgetSchedulePy, schedulePy } from './schedule-py';

/** The loop over epochs, or, with a time budget, over epochs until the deadline; one step's body is shared. */
function trainingLoopPy(budget: boolean, ema: boolean): string {
  const stepBody = (indent: string, lr: string) =>
    [
      'x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)',
      `lr = ${lr}`,
      'for group in optimizer.param_groups:',
      '    group["lr"] = lr',
      'out = net(x)',
      'loss = loss_fn(out, y)',
      'optimizer.zero_grad(set_to_none=True)',
      'loss.backward()',
      'optimizer.step()',
      'step += 1',
      ...(ema ? ['average.update(model, step)'] : []),
      'value = loss.item()',
      'sums[0] += value * len(y)',
      'if args.log_every > 0:',
      '    window.append(value)',
      '    if step == 1 or step % args.log_every == 0:',
      '        log(f"step {step}: loss {sum(window) / len(window):.4f} (mean of the last {len(window)} step(s) on rank 0)")',
      '        window = []',
      'sums[1] += (out.argmax(1) == y).sum().item()',
      'sums[2] += len(y)',
    ]
      .map((l) => indent + l)
      .join('\n');
  const sync = ['        if distributed:', '            sync_buffers(model)', ...(ema ? ['            sync_buffers(average.model)'] : [])].join('\n');
  const evaluated = ema ? 'average.model' : 'model';
  const save = (indent: string, epochs: string) =>
    `${indent}if rank == 0:\n${indent}    save_checkpoint(args.out, ${ema ? 'average, ' : ''}model, optimizer, ${epochs}, step${budget ? ', trained' : ''})`;
  const validate = (indent: string) =>
    `${indent}if len(val_set):\n${indent}    val = evaluate(${evaluated}, eval_loader(val_set, args.batch_size, args.workers, rank, world), device)\n${indent}    line += f", validation loss {val['loss']:.4f}, accuracy {val['accuracy']:.4f}"`;
  if (!budget) {
    return `    window = []
    for epoch in range(start_epoch, args.epochs):
        if distributed:
            loader.sampler.set_epoch(epoch)
        started, sums = time.time(), [0.0, 0.0, 0.0]
        for x, y in loader:
${stepBody('            ', 'learning_rate(step, len(loader), args.epochs)')}
${sync}
        loss_sum, correct, seen = all_sum(sums, device)
        line = f"epoch {epoch + 1}/{args.epochs}: loss {loss_sum / seen:.4f}, accuracy {correct / seen:.4f}"
${validate('        ')}
        log(f"{line}, lr {lr:.4g}, {seen / (time.time() - started):,.0f} images/s")
${save('        ', 'epoch + 1')}`;
  }
  return `    budget = args.minutes * 60
    window, epoch = [], start_epoch
    started = time.time()
    trained = trained_seconds(trained_before, started, device)
    # The deadline is checked before every step. Validation and checkpoints measure the run, they are
    # not training: the clock leaves them out, as the app's does.
    while trained < budget:
        if distributed:
            loader.sampler.set_epoch(epoch)
        epoch_started, sums = time.time(), [0.0, 0.0, 0.0]
        for x, y in loader:
            trained = trained_seconds(trained_before, started, device)
            if trained >= budget:
                break
${stepBody('            ', 'budget_learning_rate(trained / budget, step, len(loader))')}
        trained = trained_seconds(trained_before, started, device)
        measuring = time.time()
        if sums[2] == 0:
            # The deadline came before the epoch's first step: the epoch before it was reported whole; the
            # checkpoint takes the time now spent, so a run resumed from it knows there is none left.
${save('            ', 'epoch')}
            break
${sync}
        loss_sum, correct, seen = all_sum(sums, device)
        line = f"epoch {epoch + 1} at {trained:.1f}/{budget:g} s: loss {loss_sum / seen:.4f}, accuracy {correct / seen:.4f}"
        images_per_second = seen / (measuring - epoch_started)
${validate('        ')}
        log(f"{line}, lr {lr:.4g}, {images_per_second:,.0f} images/s")
${save('        ', 'epoch + 1')}
        started += time.time() - measuring
        epoch += 1
    log(f"time budget of {args.minutes:g} min spent: stopped after {step} steps")`;
}

/** \`save_checkpoint(...)\`: what \`--resume\` and tools/export_tfjs.py read back. */
function saveCheckpointPy(budget: boolean, ema: boolean): string {
  const entries = [
    ...(ema ? ['"model": average.model.state_dict()', '"training": model.state_dict()'] : ['"model": model.state_dict()']),
    '"optimizer": optimizer.state_dict()',
    '"epoch": epoch',
    '"step": step',
    ...(budget ? ['"trained_seconds": trained'] : []),
  ];
  return `def save_checkpoint(out, ${ema ? 'average, ' : ''}model, optimizer, epoch, step${budget ? ', trained' : ''}):
    """${ema ? 'The average as "model" (what is evaluated and exported, as in the app\'s checkpoints), the training weights apart' : 'The weights and the optimizer state'}, after \`epoch\` epochs${budget ? ' and \`trained\` seconds' : ''}."""
    torch.save({${entries.join(', ')}}, os.path.join(out, "checkpoint.pt"))`;
}

export function trainPy(plan: SupervisedPlan, cls: string): string {
  const loss = lossPy(plan);
  const opt = optimizerPy(plan);
  const recipe = recipeOf(plan);
  const budget = recipe.budgetMinutes > 0;
  const ema = recipe.emaDecay > 0;
  const schedule = budget ? budgetSchedulePy(plan.optimizer) : schedulePy(plan.optimizer);
  const epochs = num(plan.optimizer, 'epochs');
  const batch = num(plan.optimizer, 'batchSize');
  const minutes = pyNumber(recipe.budgetMinutes);
  const evaluated = ema ? 'average.model' : 'model';
  const notes = [
    ...(ema ? [`Weights: an exponential moving average of them (decay ${pyNumber(recipe.emaDecay)}) is validated, evaluated and saved; checkpoints hold both.`] : []),
    ...(recipe.flipAveraging ? ["Evaluation: each image's output is the mean of the model's outputs on it and on its mirror image."] : []),
  ];
  // How the report scored, as the app's evaluation says it next to the accuracy.
  const scoredHow = {
    json: [...(recipe.flipAveraging ? ['"flip_averaged": True, '] : []), ...(ema ? ['"weight_average_decay": EMA_DECAY, '] : [])].join(''),
    words: [recipe.flipAveraging ? 'flip-averaged' : '', ema ? `weight average ${pyNumber(recipe.emaDecay)}` : ''].filter(Boolean).join(', '),
  };
  if (scoredHow.words) scoredHow.words = ` (${scoredHow.words})`;
  const resumeModel = ema
    ? '        model.load_state_dict(state["model"])  # the average: the weights average.model starts from below'
    : '        # A checkpoint of a run that kept a weight average holds its training weights apart.\n        model.load_state_dict(state.get("training", state["model"]))';
  return `"""Train ${JSON.stringify(plan.name)} as its graph says: ${budget ? `${minutes} minutes of training` : `${epochs} epochs`}, batch ${batch} per process.

Loss: ${loss.summary}.
Optimizer: ${opt.summary}.
Learning rate: ${schedule.summary}, set before every step.
${notes.map((l) => `${l}\n`).join('')}
    python train.py --data DIR                                     # one process
    torchrun --standalone --nproc_per_node=N train.py --data DIR   # N processes (DistributedDataParallel)
"""
import argparse
${ema ? 'import copy\n' : ''}import json
import math
import os
import time

import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch import nn
from torch.nn.parallel import DistributedDataParallel

from data import CLASSES, SEED, datasets, eval_loader, train_loader
from model import ${cls}

${budget ? `BUDGET_MINUTES = ${minutes}  # training time; the learning rate schedule runs over it` : `EPOCHS = ${epochs}`}
BATCH_SIZE = ${batch}
${ema ? `EMA_DECAY = ${pyNumber(recipe.emaDecay)}\n` : ''}NUM_CLASSES = len(CLASSES)

${loss.code}


${opt.code}


${schedule.code}
${ema ? `\n\n${weightAveragePy(recipe.emaDecay)}\n` : ''}${budget ? `\n\n${budgetClockPy()}\n` : ''}

def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default="data", help="folder with data_batch_*.bin (and test_batch.bin)")
    p.add_argument("--out", default="runs", help="checkpoints, weights.pt and the evaluation report go here")
${budget ? '    p.add_argument("--minutes", type=float, default=BUDGET_MINUTES, help="training time (wall clock; validation and checkpoints not counted); the run stops when it is spent")' : '    p.add_argument("--epochs", type=int, default=EPOCHS)'}
    p.add_argument("--batch-size", type=int, default=BATCH_SIZE, help="per process")
    p.add_argument("--device", choices=["cpu", "cuda"], default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--workers", type=int, default=2, help="data-loading processes per training process")
    p.add_argument("--weights", help="start from these weights (weights.pt, e.g. from tools/convert_tfjs.py)")
    p.add_argument("--resume", help="continue from a checkpoint written by this script")
    p.add_argument("--log-every", type=int, default=100, help="print the mean training loss every N steps (0: per epoch only)")
    return p.parse_args()


def log(*args):
    if not dist.is_initialized() or dist.get_rank() == 0:
        print(*args, flush=True)


def all_sum(values, device):
    """Sums numbers over every process (a no-op in one process)."""
    t = torch.tensor(values, dtype=torch.float64, device=device)
    if dist.is_initialized():
        dist.all_reduce(t)
    return t.tolist()


@torch.no_grad()
def evaluate(model, loader, device):
    """Loss, accuracy, per-class accuracy and confusion matrix (rows: true class), summed over processes."""
    model.eval()
    confusion = torch.zeros(NUM_CLASSES, NUM_CLASSES, dtype=torch.float64, device=device)
    loss_sum = torch.zeros((), dtype=torch.float64, device=device)
    for x, y in loader:
        x, y = x.to(device), y.to(device)
${evaluatedOutputPy(recipe.flipAveraging).join('\n')}
        loss_sum += loss_fn(out, y).double() * len(y)
        confusion += torch.bincount(y * NUM_CLASSES + out.argmax(1), minlength=NUM_CLASSES ** 2).view(NUM_CLASSES, NUM_CLASSES).double()
    if dist.is_initialized():
        dist.all_reduce(confusion)
        dist.all_reduce(loss_sum)
    model.train()
    count = confusion.sum().item()
    per_class = (confusion.diag() / confusion.sum(1)).tolist()  # NaN for a class with no images
    return {"count": int(count), "loss": loss_sum.item() / max(count, 1), "accuracy": confusion.diag().sum().item() / max(count, 1),
            "per_class_accuracy": dict(zip(CLASSES, per_class)), "confusion": confusion.long().tolist()}


def write_report(report, split, out):
    with open(os.path.join(out, "evaluation.json"), "w") as f:
        json.dump({"split": split, ${scoredHow.json}**report}, f, indent=1)
    with open(os.path.join(out, "confusion_matrix.csv"), "w") as f:
        f.write("true \\\\ predicted," + ",".join(CLASSES) + "\\n")
        for name, row in zip(CLASSES, report["confusion"]):
            f.write(name + "," + ",".join(map(str, row)) + "\\n")


${saveCheckpointPy(budget, ema)}


def sync_buffers(model):
    """BatchNorm running statistics from process 0, as DDP would send them before its next forward."""
    for b in model.buffers():
        dist.broadcast(b, 0)


def check_replicas_agree(model, device):
    """DDP keeps every process's weights equal; say how far apart they ended up."""
    flat = torch.cat([t.detach().double().flatten() for t in model.state_dict().values() if t.is_floating_point()]).to(device)
    copies = [torch.empty_like(flat) for _ in range(dist.get_world_size())]
    dist.all_gather(copies, flat)
    spread = max((c - copies[0]).abs().max().item() for c in copies)
    log(f"weights agree across {len(copies)} processes: largest difference {spread:g}")


def main():
    args = parse_args()
    distributed = "WORLD_SIZE" in os.environ
    if distributed:
        dist.init_process_group("nccl" if args.device == "cuda" else "gloo")
    rank, world = (dist.get_rank(), dist.get_world_size()) if distributed else (0, 1)
    if args.device == "cuda":
        torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", 0)))
    device = torch.device(args.device, torch.cuda.current_device()) if args.device == "cuda" else torch.device("cpu")
    torch.manual_seed(SEED)

    train_set, val_set, test_set = datasets(args.data)
    loader = train_loader(train_set, args.batch_size, args.workers, distributed)
    model = ${cls}().to(device)
    if args.weights:
        model.load_state_dict(torch.load(args.weights, map_location=device))
    optimizer = make_optimizer(model)
    start_epoch, step${budget ? ', trained_before' : ''} = 0, 0${budget ? ', 0.0' : ''}
    if args.resume:
        state = torch.load(args.resume, map_location=device)
${resumeModel}
        optimizer.load_state_dict(state["optimizer"])
        start_epoch, step = state["epoch"], state["step"]${budget ? '\n        trained_before = state.get("trained_seconds", 0.0)' : ''}
${
  ema
    ? `    # The average starts at the weights loaded (a checkpoint's average, or --weights); training
    # continues from a checkpoint's own training weights.
    average = WeightAverage(model)
    if args.resume and "training" in state:
        model.load_state_dict(state["training"])
`
    : ''
}    net = DistributedDataParallel(model, device_ids=[device.index] if args.device == "cuda" else None) if distributed else model
    os.makedirs(args.out, exist_ok=True)
    log(f"{len(train_set):,} training, {len(val_set):,} validation images; {world} process(es) on {args.device}, batch {args.batch_size} each")

${trainingLoopPy(budget, ema)}

    if rank == 0:
        torch.save(${evaluated}.state_dict(), os.path.join(args.out, "weights.pt"))
    final, split = (test_set, "test") if test_set is not None else (val_set, "validation")
    if len(final):
        report = evaluate(${evaluated}, eval_loader(final, args.batch_size, args.workers, rank, world), device)
        log(f"{split}: accuracy {report['accuracy']:.4f}${scoredHow.words} on {report['count']:,} images; report in {args.out}/evaluation.json")
        if rank == 0:
            write_report(report, split, args.out)
    if distributed:
        check_replicas_agree(model, device)
        del net  # DDP before its process group: otherwise a process can hang on exit (seen with gloo on 1.13)
        dist.destroy_process_group()


if __name__ == "__main__":
    main()
`;
}
