"""Batch augmentations on float images in [0, 1] (before normalization), on whatever device the
batch is on. Random parameters come from a CPU torch.Generator, so a seeded run draws the same
augmentations on CPU and GPU.

  none    nothing (default for fashion-mnist / idx: centred, clean images)
  light   random shift of up to 2 px (zero padding) and horizontal flip
  camera  random crop after replicate-padding by 1/8 of the size, horizontal flip,
          brightness +-20 %, contrast +-20 % (default for folder datasets: camera pictures)
"""
import torch
import torch.nn.functional as F

AUGMENT_CHOICES = ("none", "light", "camera")


def _random_crop(batch, pad, mode, generator):
    n, _, h, w = batch.shape
    padded = F.pad(batch, (pad, pad, pad, pad), mode=mode)
    oy = torch.randint(0, 2 * pad + 1, (n,), generator=generator).to(batch.device)
    ox = torch.randint(0, 2 * pad + 1, (n,), generator=generator).to(batch.device)
    rows = (oy[:, None] + torch.arange(h, device=batch.device))[:, None, :, None]
    cols = (ox[:, None] + torch.arange(w, device=batch.device))[:, None, None, :]
    samples = torch.arange(n, device=batch.device)[:, None, None, None]
    channels = torch.arange(batch.shape[1], device=batch.device)[None, :, None, None]
    return padded[samples, channels, rows, cols]


def _random_flip(batch, generator):
    flip = (torch.rand(batch.shape[0], generator=generator) < 0.5).to(batch.device)
    return torch.where(flip[:, None, None, None], batch.flip(3), batch)


def _brightness_contrast(batch, amount, generator):
    n = batch.shape[0]
    brightness = (1 + (torch.rand(n, generator=generator) * 2 - 1) * amount).to(batch.device)
    contrast = (1 + (torch.rand(n, generator=generator) * 2 - 1) * amount).to(batch.device)
    mean = batch.mean(dim=(1, 2, 3), keepdim=True)
    out = (batch - mean) * contrast[:, None, None, None] + mean
    return (out * brightness[:, None, None, None]).clamp(0, 1)


def augment(batch, mode, generator):
    """Return an augmented copy of a float batch [N, C, H, W] in [0, 1]."""
    if mode == "none":
        return batch
    if mode == "light":
        return _random_flip(_random_crop(batch, 2, "constant", generator), generator)
    if mode == "camera":
        pad = max(1, batch.shape[2] // 8)
        batch = _random_flip(_random_crop(batch, pad, "replicate", generator), generator)
        return _brightness_contrast(batch, 0.2, generator)
    raise ValueError(f"unknown augmentation {mode}")
