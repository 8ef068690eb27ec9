#!/usr/bin/env python3
"""edgeq training tool: `train.py --help`. Needs an interpreter with PyTorch (Debian: /usr/bin/python3
with python3-torch); the wrapper tools/train/train finds one."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
# OpenMP threads that spin while waiting are fast on an idle desktop but collapse when the cores
# are shared (a CI runner, a busy laptop): measured 10x slower steps on a loaded 2-core machine.
# Passive waiting costs little when idle. Must be set before torch loads OpenMP; an explicit
# setting in the environment wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

try:
    import torch  # noqa: F401
except ImportError:
    print(f"train.py: error: {sys.executable} has no PyTorch; run tools/train/train (it picks "
          "$EDGEQ_PYTHON or /usr/bin/python3 with Debian's python3-torch)", file=sys.stderr)
    sys.exit(2)

from edgeq_train.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
