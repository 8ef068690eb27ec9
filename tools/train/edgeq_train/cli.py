"""Command line: argument parsing and the one-line error contract (exit 2, no traceback unless --debug)."""
import argparse
import sys

from .archs import ARCH_CHOICES
from .augment import AUGMENT_CHOICES
from .errors import TrainError
from .runtime import DEVICE_CHOICES

EPILOG = """\
datasets:
  fashion-mnist                 Debian package dataset-fashion-mnist (/usr/share/datasets/fashion-mnist,
                                override with $EDGEQ_FASHION_MNIST_DIR); test accuracy on the 10k test set
  idx:IMG.gz,LBL.gz[,TIMG.gz,TLBL.gz]   IDX files (gzipped or not); without the test pair, the
                                validation split is the test set; label names from --labels FILE
  folder:DIR                    DIR/<class>/*.png|*.jpg (the layout `edgeq capture` writes);
                                test accuracy on the validation split

outputs: OUT.onnx (opset 13, input "input" NCHW float32 [batch,C,H,W], output "logits") and
OUT.json (labels, input spec, accuracy, training settings; format in tools/train/README.md).
Errors are one line on stderr with exit code 2 (--debug shows the traceback).

examples:
  tools/train/train --dataset fashion-mnist --arch seedcnn --epochs 15 --seed 1 --out models/fashion-seedcnn
  tools/train/train --dataset fashion-mnist --epochs 1 --limit 6000 --device cpu --seed 1 --out /tmp/ci-seedcnn
  tools/train/train --dataset folder:captures --color rgb --size 32 --arch mobilenet-tiny --epochs 30 --out models/mine
"""


def parser():
    p = argparse.ArgumentParser(
        prog="train.py", formatter_class=argparse.RawDescriptionHelpFormatter, epilog=EPILOG,
        description="Train a small CNN with PyTorch (CUDA when present) and export ONNX + JSON for edgeq convert.")
    p.add_argument("--dataset", required=True, help="fashion-mnist | idx:... | folder:DIR (see below)")
    p.add_argument("--arch", default="seedcnn", help=f"architecture: {', '.join(ARCH_CHOICES)} (default seedcnn)")
    p.add_argument("--out", required=True, metavar="PREFIX",
                   help="output prefix: writes PREFIX.onnx and PREFIX.json (folders are created)")
    p.add_argument("--name", help="model_name in the JSON (default: the basename of --out)")
    p.add_argument("--epochs", type=int, default=10, help="training epochs (default 10)")
    p.add_argument("--batch-size", type=int, default=128, help="mini-batch size (default 128)")
    p.add_argument("--optimizer", default="adamw", choices=("adamw", "sgd"), help="optimizer (default adamw)")
    p.add_argument("--lr", type=float, default=None,
                   help="peak learning rate of the one-cycle schedule (default 2e-3 for adamw, 0.05 for sgd)")
    p.add_argument("--weight-decay", type=float, default=1e-4, help="weight decay (default 1e-4)")
    p.add_argument("--seed", type=int, default=None,
                   help="random seed; given => deterministic (same seed, same machine => same weights; "
                        "cuDNN autotuning off). Default: a random seed, recorded in the JSON")
    p.add_argument("--device", default="auto", choices=DEVICE_CHOICES,
                   help="auto: CUDA when available (mixed precision, pinned memory), else CPU on all cores; "
                        "cuda: fail (exit 2) when CUDA is missing")
    p.add_argument("--threads", type=int, default=None, help="CPU threads (default: all cores)")
    p.add_argument("--size", type=int, default=None,
                   help="input height = width in pixels (default: 28 for fashion-mnist/idx native size, 32 for folder)")
    p.add_argument("--color", choices=("gray", "rgb"), default=None,
                   help="input colour (default gray for fashion-mnist/idx, rgb for folder)")
    p.add_argument("--augment", choices=("auto",) + AUGMENT_CHOICES, default="auto",
                   help="none | light (shift 2 px, flip) | camera (random crop, flip, brightness/contrast); "
                        "auto = camera for folder datasets, none otherwise")
    p.add_argument("--val-fraction", type=float, default=0.1,
                   help="fraction of the training images held out for validation, per class (default 0.1)")
    p.add_argument("--limit", type=int, default=None, help="use only the first N training images")
    p.add_argument("--test-limit", type=int, default=None, help="use only the first N test images")
    p.add_argument("--labels", metavar="FILE", help="label names, one per line (idx datasets)")
    p.add_argument("--opset", type=int, default=13, help="ONNX opset (default 13)")
    p.add_argument("--fold-batchnorm", action="store_true",
                   help="let torch fold BatchNorm into Conv at export (default: keep BatchNormalization "
                        "nodes; edgeq convert folds them)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar (epoch summaries only)")
    p.add_argument("--quiet", action="store_true", help="no progress output at all")
    p.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    return p


def parse(argv):
    args = parser().parse_args(argv)
    if args.lr is None:
        args.lr = 2e-3 if args.optimizer == "adamw" else 0.05
    args.argv = list(argv)
    for name in ("epochs", "batch_size"):
        if getattr(args, name) < 1:
            raise TrainError(f"--{name.replace('_', '-')} must be at least 1")
    if not 0 <= args.val_fraction < 1:
        raise TrainError("--val-fraction must be in [0, 1)")
    if args.threads is not None and args.threads < 1:
        raise TrainError("--threads must be at least 1")
    return args


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    debug = "--debug" in argv
    try:
        args = parse(argv)
        from .trainer import train  # imports torch: after argument errors are reported
        _, document = train(args)
    except TrainError as e:
        if debug:
            raise
        print(f"train.py: error: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("train.py: interrupted", file=sys.stderr)
        return 130
    print(f"wrote {args.out}.onnx and {args.out}.json: {document['arch']}, {document['params']} parameters, "
          f"{document['macs']} MACs, float test accuracy {100 * document['float_test_accuracy']:.2f}% "
          f"({document['test_images']} images, {document['test_set']}), "
          f"{document['training']['duration_s']:.1f} s on {document['training']['device']}")
    return 0
