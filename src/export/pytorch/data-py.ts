/**
 * data.py: the plan's dataset in CIFAR's binary record format, split and augmented as the app does.
 */
import type { SupervisedPlan } from '../../graph/plan';
import { pyNumber } from './names';
import { bool, num, str } from './params';

const CIFAR10_CLASSES = ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'];

/** The body of `Augment.__call__`: one block per Augmentation node, in the graph's order. */
function augmentLines(plan: SupervisedPlan): { lines: string[]; summary: string[]; perChannel: boolean } {
  const lines: string[] = [];
  const summary: string[] = [];
  let perChannel = false;
  for (const stage of plan.augmentations) {
    if (bool(stage, 'randomFlip')) {
      lines.push('        if train and torch.rand(()) < 0.5:', '            x = x.flip(2)');
      summary.push('random horizontal flip');
    }
    const pad = num(stage, 'padCrop');
    if (pad > 0) {
      lines.push('        if train:', `            x = pad_crop(x, ${pad})`);
      summary.push(`${pad}-pixel zero pad + random crop`);
    }
    const normalize = str(stage, 'normalize', ['none', 'unit', 'per-channel'] as const);
    if (normalize === 'unit') {
      lines.push('        x = x / 255');
      summary.push('pixels scaled to [0, 1]');
    } else if (normalize === 'per-channel') {
      lines.push('        x = (x / 255 - self.mean) / self.std');
      summary.push("per-channel normalisation by the training images' mean and std");
      perChannel = true;
    }
  }
  return { lines, summary, perChannel };
}

export function dataPy(plan: SupervisedPlan): string {
  const d = plan.dataset;
  const [h, w, c] = d.value.sampleShape;
  const k = d.value.numClasses;
  const cifar = d.params.source === 'cifar10';
  const classes = cifar && k === 10 ? CIFAR10_CLASSES : Array.from({ length: k }, (_, i) => `class ${i}`);
  const aug = augmentLines(plan);
  return `"""Data for ${JSON.stringify(plan.name)}: ${cifar ? 'CIFAR-10' : `${h}×${w}×${c} images in ${k} classes`} in CIFAR's binary format.

Each record is one label byte and the image as ${c === 1 ? 'one plane' : `${c} planes`} of ${h}×${w} bytes (channels first), as in
data_batch_1.bin … data_batch_5.bin and test_batch.bin from https://www.cs.toronto.edu/~kriz/cifar.html.
The validation split is the app's (same seed, same images), and training batches get the graph's
augmentation: ${aug.summary.length ? aug.summary.join(', ') : 'none'}.
"""
import glob
import math
import os

import numpy as np
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset, DistributedSampler

IMAGE_SHAPE = (${h}, ${w}, ${c})  # height, width, channels of a stored image
CLASSES = [${classes.map((s) => JSON.stringify(s)).join(', ')}]
VALIDATION_SPLIT = ${pyNumber(num(d, 'validationSplit'))}
MAX_TRAIN_IMAGES = ${num(d, 'maxTrainImages')}  # 0: all of them
SEED = ${num(d, 'seed')}


class Mulberry32:
    """The app's seeded generator, so the validation split holds out the same images."""

    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFF

    def next(self):
        self.state = (self.state + 0x6D2B79F5) & 0xFFFFFFFF
        t = self.state
        t = ((t ^ (t >> 15)) * (t | 1)) & 0xFFFFFFFF
        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & 0xFFFFFFFF)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296

    def permutation(self, n):
        p = list(range(n))
        for i in range(n - 1, 0, -1):
            j = math.floor(self.next() * (i + 1))
            p[i], p[j] = p[j], p[i]
        return p


def read_records(paths):
    """Labels (N,) and images (N, H, W, C), both uint8, from CIFAR-format files."""
    h, w, c = IMAGE_SHAPE
    record = 1 + h * w * c
    chunks = []
    for path in paths:
        raw = np.fromfile(path, dtype=np.uint8)
        if raw.size == 0 or raw.size % record:
            raise ValueError(f"{path}: {raw.size:,} bytes is not a whole number of {record:,}-byte records (1 label byte + {h}x{w}x{c} pixels)")
        chunks.append(raw.reshape(-1, record))
    rows = np.concatenate(chunks)
    labels = rows[:, 0]
    if labels.max() >= len(CLASSES):
        raise ValueError(f"{', '.join(paths)}: label {labels.max()} is outside 0-{len(CLASSES) - 1}")
    return labels, rows[:, 1:].reshape(-1, c, h, w).transpose(0, 2, 3, 1)


def split(count):
    """Training and validation indices, as the app splits them."""
    pool = count
    if MAX_TRAIN_IMAGES > 0:
        pool = min(count, math.floor(MAX_TRAIN_IMAGES / (1 - VALIDATION_SPLIT) + 0.5))
    order = Mulberry32(SEED ^ 0x5EED).permutation(count)[:pool]
    n_val = math.floor(pool * VALIDATION_SPLIT + 0.5)
    n_train = min(MAX_TRAIN_IMAGES, pool - n_val) if MAX_TRAIN_IMAGES > 0 else pool - n_val
    return order[n_val:n_val + n_train], order[:n_val]


def pad_crop(x, pad):
    """Zero-pads a (C, H, W) image by \`pad\` pixels and crops it back to size at a random offset."""
    _, h, w = x.shape
    dy, dx = torch.randint(0, 2 * pad + 1, (2,)).tolist()
    return F.pad(x, (pad, pad, pad, pad))[:, dy:dy + h, dx:dx + w]


class Augment:
    """The graph's Augmentation stages; evaluation applies only their normalisation."""

    def __init__(self, mean, std):
        self.mean = torch.tensor(mean, dtype=torch.float32).view(-1, 1, 1)
        self.std = torch.tensor(std, dtype=torch.float32).clamp(min=1e-6).view(-1, 1, 1)

    def __call__(self, x, train):
${aug.lines.length ? aug.lines.join('\n') : '        pass'}
        return x


def channel_stats(images):
    """Mean and std per channel of uint8 (N, H, W, C) images on the [0, 1] scale."""
    flat = images.reshape(-1, images.shape[-1]).astype(np.float64) / 255
    return flat.mean(0).tolist(), flat.std(0).tolist()


class Images(Dataset):
    def __init__(self, labels, images, augment, train):
        self.labels, self.images, self.augment, self.train = labels, images, augment, train

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, i):
        x = torch.from_numpy(np.ascontiguousarray(self.images[i])).permute(2, 0, 1).float()
        return self.augment(x, self.train), int(self.labels[i])


def datasets(data_dir):
    """Training, validation and (when test_batch.bin is there) test sets."""
    train_files = sorted(glob.glob(os.path.join(data_dir, "data_batch_*.bin")))
    if not train_files:
        raise FileNotFoundError(f"no data_batch_*.bin in {data_dir}: download CIFAR-10's binary version and unpack it there")
    labels, images = read_records(train_files)
    train_idx, val_idx = split(len(labels))
    if len(train_idx) == 0:
        raise ValueError("no training images left after the validation split")
    augment = Augment(*channel_stats(images[train_idx]))${aug.perChannel ? '' : '  # the mean and std go unused: no per-channel normalisation'}
    train = Images(labels[train_idx], images[train_idx], augment, train=True)
    val = Images(labels[val_idx], images[val_idx], augment, train=False)
    test_file = os.path.join(data_dir, "test_batch.bin")
    test = Images(*read_records([test_file]), augment, train=False) if os.path.exists(test_file) else None
    return train, val, test


def train_loader(train, batch_size, workers, distributed):
    """Shuffled batches; under torchrun each process reads its own share of every epoch."""
    sampler = DistributedSampler(train, shuffle=True, seed=SEED) if distributed else None
    per_process = len(sampler) if sampler else len(train)
    # The app drops a short last batch (BatchNorm statistics of a few images are noisy) unless it is the only one.
    return DataLoader(train, batch_size=batch_size, shuffle=sampler is None, sampler=sampler, num_workers=workers,
                      drop_last=per_process > batch_size, persistent_workers=workers > 0)


def eval_loader(dataset, batch_size, workers, rank, world_size):
    """Every process scores its own slice (no padding or repeats), so summed counts are exact."""
    part = torch.utils.data.Subset(dataset, range(rank, len(dataset), world_size))
    return DataLoader(part, batch_size=batch_size, num_workers=workers)
`;
}
