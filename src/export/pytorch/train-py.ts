/**
 * train.py: the plan's loss, optimizer, schedule and fit settings as a plain PyTorch loop that runs
 * in one process or under torchrun (DistributedDataParallel), with the Evaluator's report at the end.
 */
import type { SupervisedPlan } from '../../graph/plan';
import { pyNumber } from './names';
import { bool, num, str } from './params';
import { schedulePy } from './schedule-py';

function lossPy(plan: SupervisedPlan): { code: string; summary: string } {
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

function optimizerPy(plan: SupervisedPlan): { code: string; summary: string } {
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

export function trainPy(plan: SupervisedPlan, cls: string): string {
  const loss = lossPy(plan);
  const opt = optimizerPy(plan);
  const schedule = schedulePy(plan.optimizer);
  const epochs = num(plan.optimizer, 'epochs');
  const batch = num(plan.optimizer, 'batchSize');
  return `"""Train ${JSON.stringify(plan.name)} as its graph says: ${epochs} epochs, batch ${batch} per process.

Loss: ${loss.summary}.
Optimizer: ${opt.summary}.
Learning rate: ${schedule.summary}, set before every step.

    python train.py --data DIR                                     # one process
    torchrun --standalone --nproc_per_node=N train.py --data DIR   # N processes (DistributedDataParallel)
"""
import argparse
import json
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

EPOCHS = ${epochs}
BATCH_SIZE = ${batch}
NUM_CLASSES = len(CLASSES)

${loss.code}


${opt.code}


${schedule.code}


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--data", default="data", help="folder with data_batch_*.bin (and test_batch.bin)")
    p.add_argument("--out", default="runs", help="checkpoints, weights.pt and the evaluation report go here")
    p.add_argument("--epochs", type=int, default=EPOCHS)
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
        out = model(x)
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
        json.dump({"split": split, **report}, f, indent=1)
    with open(os.path.join(out, "confusion_matrix.csv"), "w") as f:
        f.write("true \\\\ predicted," + ",".join(CLASSES) + "\\n")
        for name, row in zip(CLASSES, report["confusion"]):
            f.write(name + "," + ",".join(map(str, row)) + "\\n")


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
    start_epoch, step = 0, 0
    if args.resume:
        state = torch.load(args.resume, map_location=device)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        start_epoch, step = state["epoch"], state["step"]
    net = DistributedDataParallel(model, device_ids=[device.index] if args.device == "cuda" else None) if distributed else model
    os.makedirs(args.out, exist_ok=True)
    log(f"{len(train_set):,} training, {len(val_set):,} validation images; {world} process(es) on {args.device}, batch {args.batch_size} each")

    window = []
    for epoch in range(start_epoch, args.epochs):
        if distributed:
            loader.sampler.set_epoch(epoch)
        started, sums = time.time(), [0.0, 0.0, 0.0]
        for x, y in loader:
            x, y = x.to(device, non_blocking=True), y.to(device, non_blocking=True)
            lr = learning_rate(step, len(loader), args.epochs)
            for group in optimizer.param_groups:
                group["lr"] = lr
            out = net(x)
            loss = loss_fn(out, y)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            step += 1
            value = loss.item()
            sums[0] += value * len(y)
            if args.log_every > 0:
                window.append(value)
                if step == 1 or step % args.log_every == 0:
                    log(f"step {step}: loss {sum(window) / len(window):.4f} (mean of the last {len(window)} step(s) on rank 0)")
                    window = []
            sums[1] += (out.argmax(1) == y).sum().item()
            sums[2] += len(y)
        if distributed:
            sync_buffers(model)
        loss_sum, correct, seen = all_sum(sums, device)
        line = f"epoch {epoch + 1}/{args.epochs}: loss {loss_sum / seen:.4f}, accuracy {correct / seen:.4f}"
        if len(val_set):
            val = evaluate(model, eval_loader(val_set, args.batch_size, args.workers, rank, world), device)
            line += f", validation loss {val['loss']:.4f}, accuracy {val['accuracy']:.4f}"
        log(f"{line}, lr {lr:.4g}, {seen / (time.time() - started):,.0f} images/s")
        if rank == 0:
            torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch + 1, "step": step},
                       os.path.join(args.out, "checkpoint.pt"))

    if rank == 0:
        torch.save(model.state_dict(), os.path.join(args.out, "weights.pt"))
    final, split = (test_set, "test") if test_set is not None else (val_set, "validation")
    if len(final):
        report = evaluate(model, eval_loader(final, args.batch_size, args.workers, rank, world), device)
        log(f"{split}: accuracy {report['accuracy']:.4f} on {report['count']:,} images; report in {args.out}/evaluation.json")
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
