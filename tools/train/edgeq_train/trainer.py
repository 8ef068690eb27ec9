"""The training loop: seed, load, train, evaluate, export. Returns the model JSON document."""
import os
import random
import sys
import time
from dataclasses import asdict

import numpy as np
import torch
from torch import nn

from . import archs, data, export
from .augment import augment
from .errors import TrainError
from .progress import epoch_bar
from .runtime import apply_runtime, detect_runtime


class _BatchSlices(torch.utils.data.Dataset):
    """Indexed by a list of sample indices (from a BatchSampler): returns whole uint8 batches, so
    the DataLoader moves one tensor per batch instead of collating thousands of tiny ones."""

    def __init__(self, image_set):
        self.images, self.labels = image_set.images, image_set.labels

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, indices):
        index = torch.as_tensor(indices, dtype=torch.long)
        return self.images[index], self.labels[index]


def _seed_everything(seed):
    random.seed(seed)
    np.random.seed(seed % (2 ** 32))
    torch.manual_seed(seed)


def _normalizer(mean, std, device):
    mean_t = torch.tensor(mean, device=device).view(1, -1, 1, 1)
    std_t = torch.tensor(std, device=device).view(1, -1, 1, 1)
    return lambda x: (x - mean_t) / std_t


def evaluate(model, image_set, normalize, device, batch_size=1000):
    """Float32 top-1 accuracy (no autocast: this is the number the converter is compared with)."""
    model.eval()
    correct = 0
    with torch.no_grad():
        for start in range(0, len(image_set), batch_size):
            x = image_set.images[start:start + batch_size].to(device).float() * export.PIXEL_SCALE
            y = image_set.labels[start:start + batch_size].to(device)
            correct += int((model(normalize(x)).argmax(1) == y).sum())
    return correct / max(1, len(image_set))


def _make_optimizer(args, model):
    if args.optimizer == "adamw":
        return torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    if args.optimizer == "sgd":
        return torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9, nesterov=True,
                               weight_decay=args.weight_decay)
    raise TrainError(f"unknown --optimizer '{args.optimizer}', expected adamw or sgd")


def _log(args, text):
    if not args.quiet:
        print(text, file=sys.stderr, flush=True)


def train(args):
    """Run one training as described by the parsed CLI arguments; returns (model, json document)."""
    if args.epochs < 1:
        raise TrainError("--epochs must be at least 1")
    if args.arch not in archs.ARCH_CHOICES:
        raise TrainError(f"unknown --arch '{args.arch}', expected one of {', '.join(archs.ARCH_CHOICES)}")
    seeded = args.seed is not None
    seed = args.seed if seeded else int.from_bytes(os.urandom(4), "little")
    settings = detect_runtime(args.device, seeded)
    if args.threads:
        settings = type(settings)(**{**asdict(settings), "cpu_threads": args.threads})
    apply_runtime(settings)
    device = torch.device(settings.device)

    splits = data.load(args.dataset, color=args.color, size=args.size, val_fraction=args.val_fraction,
                       limit=args.limit, test_limit=args.test_limit, labels_file=args.labels)
    augmentation = args.augment if args.augment != "auto" else ("camera" if splits.is_camera_like else "none")
    mean, std = data.channel_stats(splits.train.images)
    normalize = _normalizer(mean, std, device)
    _log(args, f"data: {args.dataset}: {len(splits.train)} train, {len(splits.val) if splits.val else 0} validation, "
               f"{len(splits.test)} test ({splits.test_description}); {splits.channels}x{splits.height}x{splits.width} "
               f"{splits.color}, {len(splits.label_names)} classes; mean {mean} std {std}; augment {augmentation}")
    _log(args, f"runtime: {settings.device}, amp {settings.amp}, {settings.cpu_threads} CPU threads, "
               f"{settings.loader_workers} loader workers, pin_memory {settings.pin_memory}, seed {seed}")

    _seed_everything(seed)
    model = archs.build(args.arch, splits.channels, splits.height, len(splits.label_names))
    params = archs.count_params(model)
    macs = archs.count_macs(model, splits.channels, splits.height)
    model = model.to(device)
    _log(args, f"model: {args.arch}, {params} parameters, {macs} MACs per inference")

    shuffle = torch.Generator().manual_seed(seed)
    augment_rng = torch.Generator().manual_seed(seed + 1)
    sampler = torch.utils.data.BatchSampler(
        torch.utils.data.RandomSampler(range(len(splits.train)), generator=shuffle),
        batch_size=args.batch_size, drop_last=False)
    loader = torch.utils.data.DataLoader(
        _BatchSlices(splits.train), sampler=sampler, batch_size=None,
        num_workers=settings.loader_workers, pin_memory=settings.pin_memory,
        persistent_workers=settings.loader_workers > 0)

    optimizer = _make_optimizer(args, model)
    steps = args.epochs * len(sampler)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=args.lr, total_steps=steps,
                                                    pct_start=0.15, anneal_strategy="cos")
    scaler = torch.cuda.amp.GradScaler(enabled=settings.amp)
    loss_fn = nn.CrossEntropyLoss()
    epoch_seconds, val_accuracy = [], None
    for epoch in range(1, args.epochs + 1):
        model.train()
        started = time.perf_counter()
        seen, correct, loss_sum = 0, 0, 0.0
        bar = epoch_bar(len(splits.train), f"epoch {epoch}/{args.epochs}", disable=args.no_progress or args.quiet)
        for images, labels in loader:
            images = images.to(device, non_blocking=settings.non_blocking)
            labels = labels.to(device, non_blocking=settings.non_blocking)
            x = normalize(augment(images.float() * export.PIXEL_SCALE, augmentation, augment_rng))
            with torch.autocast(device_type=settings.device, enabled=settings.amp):
                logits = model(x)
                loss = loss_fn(logits, labels)
            optimizer.zero_grad(set_to_none=True)
            scaler.scale(loss).backward()
            scaler.step(optimizer)
            scaler.update()
            scheduler.step()
            n = labels.shape[0]
            seen += n
            loss_sum += float(loss.detach()) * n
            correct += int((logits.detach().argmax(1) == labels).sum())
            rate = seen / max(1e-9, time.perf_counter() - started)
            bar.set_postfix_str(f"loss {loss_sum / seen:.4f} acc {100 * correct / seen:.2f}% {rate:.0f} img/s", refresh=False)
            bar.update(n)
        bar.close()
        elapsed = time.perf_counter() - started
        epoch_seconds.append(round(elapsed, 3))
        line = (f"epoch {epoch}/{args.epochs}: loss {loss_sum / seen:.4f}, train acc {100 * correct / seen:.2f}%, "
                f"{elapsed:.1f} s, {seen / elapsed:.0f} img/s")
        if splits.val is not None:
            val_accuracy = evaluate(model, splits.val, normalize, device)
            line += f", val acc {100 * val_accuracy:.2f}%"
        _log(args, line)

    test_accuracy = evaluate(model, splits.test, normalize, device)
    _log(args, f"float test accuracy: {100 * test_accuracy:.2f}% on {len(splits.test)} images ({splits.test_description})")

    out = args.out
    onnx_path, json_path = out + ".onnx", out + ".json"
    ops = export.export_onnx(model, splits.channels, splits.height, splits.width, onnx_path,
                             opset=args.opset, fold_batchnorm=args.fold_batchnorm)
    duration = sum(epoch_seconds)
    training = {
        "epochs": args.epochs,
        "batch_size": args.batch_size,
        "lr": args.lr,
        "optimizer": args.optimizer,
        "weight_decay": args.weight_decay,
        "lr_schedule": "one-cycle (cosine), 15% warm-up",
        "augment": augmentation,
        "seed": seed,
        "seeded": seeded,
        "device": settings.device,
        "device_name": torch.cuda.get_device_name(0) if settings.device == "cuda" else _cpu_name(),
        "amp": settings.amp,
        "cpu_threads": settings.cpu_threads,
        "train_images": len(splits.train),
        "val_images": len(splits.val) if splits.val else 0,
        "limit": args.limit,
        "duration_s": round(duration, 3),
        "epoch_seconds": epoch_seconds,
        "images_per_s": round(len(splits.train) * args.epochs / max(1e-9, duration), 1),
        "command": " ".join(["tools/train/train"] + list(args.argv)),
    }
    document = export.model_json(
        model_name=args.name or os.path.basename(out), labels=splits.label_names,
        channels=splits.channels, height=splits.height, width=splits.width, color=splits.color,
        mean=mean, std=std, float_test_accuracy=test_accuracy, test_set=splits.test_description,
        test_images=len(splits.test), val_accuracy=val_accuracy, params=params, macs=macs,
        onnx_file=os.path.basename(onnx_path), onnx_bytes=os.path.getsize(onnx_path), onnx_ops=ops,
        opset=args.opset, arch=args.arch, dataset=args.dataset, training=training)
    export.write_json(document, json_path)
    return model, document


def _cpu_name():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    import platform
    return platform.processor() or "cpu"
