"""Device / mixed precision / data loader selection, kept pure so it can be tested on any machine.

select_runtime() decides everything from three facts (what was asked, whether CUDA is usable, how
many CPU cores there are) and returns a RuntimeSettings; apply_runtime() is the only place that
touches torch's global state. The tests call select_runtime() with cuda_available forced to True
and False, which is how the CUDA branch is exercised on machines without a GPU.
"""
import os
from dataclasses import dataclass

from .errors import TrainError

DEVICE_CHOICES = ("auto", "cpu", "cuda")


@dataclass(frozen=True)
class RuntimeSettings:
    device: str            # "cpu" or "cuda"
    amp: bool              # autocast float16 + GradScaler (CUDA only: CPU float16 is slow and lossy)
    pin_memory: bool       # page-locked host batches for asynchronous host->GPU copies
    non_blocking: bool     # .to(device, non_blocking=...) (only meaningful with pinned memory)
    loader_workers: int    # DataLoader worker processes; 0 = load in the training process
    cpu_threads: int       # torch.set_num_threads (intra-op threads for CPU kernels)
    cudnn_benchmark: bool  # autotuned cuDNN kernels: faster, but not reproducible
    deterministic: bool    # deterministic algorithms (chosen whenever a seed was given)


def select_runtime(requested, cuda_available, cpu_count, seeded):
    """Choose the runtime for a training run.

    requested: "auto", "cpu" or "cuda"; cuda_available: torch.cuda.is_available() (or a forced
    value in tests); cpu_count: os.cpu_count() (None counts as 1); seeded: True when --seed was
    given, which trades cuDNN autotuning for reproducibility.
    """
    if requested not in DEVICE_CHOICES:
        raise TrainError(f"unknown --device '{requested}', expected one of {', '.join(DEVICE_CHOICES)}")
    if requested == "cuda" and not cuda_available:
        raise TrainError("--device cuda was requested but CUDA is not available "
                         "(torch.cuda.is_available() is False); use --device auto or cpu")
    cores = max(1, int(cpu_count or 1))
    if requested == "cuda" or (requested == "auto" and cuda_available):
        # The data already lives in memory as uint8, so a couple of workers are enough to keep
        # pinned batches flowing; the rest of the cores stay with the main process.
        return RuntimeSettings(device="cuda", amp=True, pin_memory=True, non_blocking=True,
                               loader_workers=min(4, max(0, cores // 2)), cpu_threads=cores,
                               cudnn_benchmark=not seeded, deterministic=seeded)
    # CPU: every core goes to the intra-op thread pool; worker processes would only compete
    # with it for the same cores (batches are slices of an in-memory tensor).
    return RuntimeSettings(device="cpu", amp=False, pin_memory=False, non_blocking=False,
                           loader_workers=0, cpu_threads=cores,
                           cudnn_benchmark=False, deterministic=seeded)


def apply_runtime(settings):
    """Apply the settings to torch's process-wide state."""
    import torch
    torch.set_num_threads(settings.cpu_threads)
    if settings.device == "cuda":
        torch.backends.cudnn.benchmark = settings.cudnn_benchmark
        torch.backends.cudnn.deterministic = settings.deterministic
        if settings.deterministic:
            # cuBLAS needs a fixed workspace to be reproducible (see torch's reproducibility notes).
            os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")
    if settings.deterministic:
        torch.use_deterministic_algorithms(True, warn_only=True)


def detect_runtime(requested, seeded):
    """select_runtime() with the facts of this machine."""
    import torch
    return select_runtime(requested, torch.cuda.is_available(), os.cpu_count(), seeded)
