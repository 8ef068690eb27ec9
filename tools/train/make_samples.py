#!/usr/bin/env python3
"""Writes samples/: the first N Fashion-MNIST TEST images of every class as 28x28 gray PNGs
(samples/<label>-<k>.png) and samples/README.md listing each file's test-set index.
Usage: make_samples.py [--out samples] [--per-class 3]. Needs python3-pil (Debian)."""
import argparse
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from edgeq_train import data  # noqa: E402


def slug(label):
    return re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--out", default="samples")
    p.add_argument("--per-class", type=int, default=3)
    args = p.parse_args()
    from PIL import Image
    root = os.environ.get("EDGEQ_FASHION_MNIST_DIR", data.FASHION_MNIST_DIR)
    test = data.read_idx_pair(os.path.join(root, "t10k-images-idx3-ubyte.gz"),
                              os.path.join(root, "t10k-labels-idx1-ubyte.gz"))
    os.makedirs(args.out, exist_ok=True)
    rows = []
    for c, label in enumerate(data.FASHION_MNIST_LABELS):
        indices = [i for i in range(len(test)) if int(test.labels[i]) == c][:args.per_class]
        for k, index in enumerate(indices):
            name = f"{slug(label)}-{k}.png"
            Image.fromarray(test.images[index, 0].numpy(), mode="L").save(os.path.join(args.out, name), optimize=True)
            rows.append(f"| `{name}` | {label} | {index} |")
    with open(os.path.join(args.out, "README.md"), "w", encoding="utf-8") as f:
        f.write(f"""# Sample images

{len(rows)} images, {args.per_class} per class: 28x28 8-bit grayscale PNGs taken unchanged from the
**Fashion-MNIST test set** (`t10k-images-idx3-ubyte.gz` as shipped by the Debian package
`dataset-fashion-mnist`), the first {args.per_class} test images of each class in file order. None of
them is in the training set, so the bundled models have not seen them.

Fashion-MNIST is Copyright (c) 2017 Zalando SE, released under the MIT License
(https://github.com/zalandoresearch/fashion-mnist). File name = label + running number;
"index" = the 0-based position in the test set.

Regenerate with `tools/train/make-bundled-models` (all models) or directly:
`/usr/bin/python3 tools/train/make_samples.py --out samples`.

| file | label | test-set index |
| --- | --- | ---: |
""")
        f.write("\n".join(rows) + "\n")
    print(f"wrote {len(rows)} PNGs and README.md to {args.out}")


if __name__ == "__main__":
    main()
