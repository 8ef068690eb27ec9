"""Datasets, loaded fully into memory as uint8 tensors [N, C, H, W] plus int64 labels.

Specs (--dataset):
  fashion-mnist                      the Debian package dataset-fashion-mnist (IDX files in
                                     /usr/share/datasets/fashion-mnist, or $EDGEQ_FASHION_MNIST_DIR)
  idx:IMAGES,LABELS[,TEST_IMAGES,TEST_LABELS]   any IDX pair(s), gzipped or not
  folder:DIR                         DIR/<class>/*.png|jpg|jpeg, one subfolder per class (the layout
                                     `edgeq capture` writes); classes in sorted folder-name order
Images stay uint8 until a batch is formed, so 60,000 28x28 images take 47 MB.
"""
import gzip
import os
import struct
from dataclasses import dataclass
from typing import List, Optional

import numpy as np
import torch
import torch.nn.functional as F

from .errors import TrainError

FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist"
FASHION_MNIST_LABELS = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg")
IDX_UBYTE_IMAGES = 0x00000803  # unsigned byte, 3 dimensions (count, rows, cols)
IDX_UBYTE_LABELS = 0x00000801  # unsigned byte, 1 dimension (count)


@dataclass
class ImageSet:
    images: torch.Tensor   # uint8 [N, C, H, W]
    labels: torch.Tensor   # int64 [N]

    def __len__(self):
        return int(self.labels.shape[0])

    def subset(self, indices):
        index = torch.as_tensor(indices, dtype=torch.long)
        return ImageSet(self.images[index], self.labels[index])


@dataclass
class Splits:
    name: str                    # dataset name recorded in the JSON
    label_names: List[str]
    color: str                   # "gray" or "rgb"
    train: ImageSet
    val: Optional[ImageSet]      # None when --val-fraction 0
    test: ImageSet               # the held-out set float_test_accuracy is measured on
    test_description: str        # what `test` is, for the JSON and the log
    is_camera_like: bool         # folder datasets: camera pictures (augmentations default on)

    @property
    def channels(self):
        return int(self.train.images.shape[1])

    @property
    def height(self):
        return int(self.train.images.shape[2])

    @property
    def width(self):
        return int(self.train.images.shape[3])


# ---------------------------------------------------------------------------------------------
# IDX files

def _open_maybe_gzip(path):
    if not os.path.isfile(path):
        raise TrainError(f"dataset file not found: {path}")
    try:
        with open(path, "rb") as raw:
            head = raw.read(2)
        opener = gzip.open if head == b"\x1f\x8b" else open
        with opener(path, "rb") as f:
            return f.read()
    except (OSError, EOFError) as e:
        raise TrainError(f"cannot read dataset file {path}: {e}") from e


def read_idx_images(path):
    data = _open_maybe_gzip(path)
    if len(data) < 16:
        raise TrainError(f"{path}: too short for an IDX image file header ({len(data)} bytes)")
    magic, count, rows, cols = struct.unpack(">IIII", data[:16])
    if magic != IDX_UBYTE_IMAGES:
        raise TrainError(f"{path}: not an IDX uint8 image file (magic 0x{magic:08x}, expected 0x{IDX_UBYTE_IMAGES:08x})")
    expected = 16 + count * rows * cols
    if len(data) != expected:
        raise TrainError(f"{path}: header says {count} images of {rows}x{cols} = {expected} bytes, file has {len(data)}")
    array = np.frombuffer(data, dtype=np.uint8, offset=16).reshape(count, 1, rows, cols)
    return torch.from_numpy(array.copy())


def read_idx_labels(path):
    data = _open_maybe_gzip(path)
    if len(data) < 8:
        raise TrainError(f"{path}: too short for an IDX label file header ({len(data)} bytes)")
    magic, count = struct.unpack(">II", data[:8])
    if magic != IDX_UBYTE_LABELS:
        raise TrainError(f"{path}: not an IDX uint8 label file (magic 0x{magic:08x}, expected 0x{IDX_UBYTE_LABELS:08x})")
    if len(data) != 8 + count:
        raise TrainError(f"{path}: header says {count} labels, file has {len(data) - 8}")
    return torch.from_numpy(np.frombuffer(data, dtype=np.uint8, offset=8).astype(np.int64))


def read_idx_pair(images_path, labels_path):
    images, labels = read_idx_images(images_path), read_idx_labels(labels_path)
    if images.shape[0] != labels.shape[0]:
        raise TrainError(f"{images_path} has {images.shape[0]} images but {labels_path} has {labels.shape[0]} labels")
    return ImageSet(images, labels)


# ---------------------------------------------------------------------------------------------
# Image folders

def _class_folders(root):
    if not os.path.isdir(root):
        raise TrainError(f"dataset folder not found: {root}")
    classes = sorted(d for d in os.listdir(root)
                     if not d.startswith(".") and os.path.isdir(os.path.join(root, d)))
    if not classes:
        raise TrainError(f"dataset folder {root} has no class subfolders (expected {root}/<label>/*.png)")
    if len(classes) < 2:
        raise TrainError(f"dataset folder {root} has only one class ({classes[0]}); a classifier needs at least 2")
    return classes


def _load_picture(path, mode, size):
    """Open one image, centre-crop it to a square and resize it to size x size (mode L or RGB)."""
    from PIL import Image, UnidentifiedImageError
    try:
        with Image.open(path) as picture:
            picture.load()
            picture = picture.convert(mode)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as e:
        raise TrainError(f"cannot read image {path}: {e}") from e
    w, h = picture.size
    side = min(w, h)
    left, top = (w - side) // 2, (h - side) // 2
    picture = picture.crop((left, top, left + side, top + side))
    if side != size:
        picture = picture.resize((size, size), Image.BILINEAR if side < size else Image.BOX)
    array = np.asarray(picture, dtype=np.uint8)
    if array.ndim == 2:
        array = array[:, :, None]
    return array.transpose(2, 0, 1)  # HWC -> CHW


def read_folder(root, color, size):
    try:
        import PIL  # noqa: F401  (python3-pil, a Debian package)
    except ImportError as e:
        raise TrainError("folder datasets need Pillow: apt-get install python3-pil") from e
    classes = _class_folders(root)
    mode = "L" if color == "gray" else "RGB"
    images, labels = [], []
    for index, name in enumerate(classes):
        folder = os.path.join(root, name)
        files = sorted(f for f in os.listdir(folder)
                       if f.lower().endswith(IMAGE_EXTENSIONS) and not f.startswith("."))
        if not files:
            raise TrainError(f"empty class folder {folder}: no PNG/JPEG images")
        for f in files:
            images.append(_load_picture(os.path.join(folder, f), mode, size))
            labels.append(index)
    return ImageSet(torch.from_numpy(np.stack(images)), torch.tensor(labels, dtype=torch.long)), classes


# ---------------------------------------------------------------------------------------------
# Shape / colour adaptation, splitting

def adapt(image_set, color, size):
    """Convert gray<->rgb and resize uint8 images to size x size (area averaging when shrinking)."""
    images = image_set.images
    if color == "rgb" and images.shape[1] == 1:
        images = images.repeat(1, 3, 1, 1)
    elif color == "gray" and images.shape[1] == 3:
        weights = torch.tensor([0.299, 0.587, 0.114]).view(1, 3, 1, 1)  # BT.601 luma
        images = (images.float() * weights).sum(1, keepdim=True).round().clamp(0, 255).to(torch.uint8)
    if size is not None and (images.shape[2] != size or images.shape[3] != size):
        mode = "area" if images.shape[2] > size else "bilinear"
        kwargs = {} if mode == "area" else {"align_corners": False}
        images = F.interpolate(images.float(), size=(size, size), mode=mode, **kwargs)
        images = images.round().clamp(0, 255).to(torch.uint8)
    return ImageSet(images.contiguous(), image_set.labels)


def stratified_split(labels, fraction, seed=0):
    """Indices (train, val): about `fraction` of every class goes to validation, at least one image
    of each class with 2+ images. A fixed seed keeps the split the same across training seeds."""
    if fraction <= 0:
        return np.arange(len(labels)), np.array([], dtype=np.int64)
    rng = np.random.default_rng(seed)
    labels = np.asarray(labels)
    train, val = [], []
    for c in np.unique(labels):
        members = np.flatnonzero(labels == c)
        rng.shuffle(members)
        n_val = int(round(fraction * len(members)))
        if len(members) >= 2:
            n_val = min(max(n_val, 1), len(members) - 1)
        else:
            n_val = 0
        val.extend(members[:n_val])
        train.extend(members[n_val:])
    return np.sort(np.array(train, dtype=np.int64)), np.sort(np.array(val, dtype=np.int64))


def _read_label_file(path, count):
    if not os.path.isfile(path):
        raise TrainError(f"labels file not found: {path}")
    with open(path, encoding="utf-8") as f:
        names = [line.strip() for line in f if line.strip()]
    if len(names) < count:
        raise TrainError(f"{path} lists {len(names)} labels but the data has class indices up to {count - 1}")
    return names


def load(spec, color=None, size=None, val_fraction=0.1, limit=None, test_limit=None, labels_file=None):
    """Load a dataset spec into train/validation/test Splits (see the module docstring)."""
    if spec == "fashion-mnist":
        root = os.environ.get("EDGEQ_FASHION_MNIST_DIR", FASHION_MNIST_DIR)
        paths = [os.path.join(root, f"{p}-{k}-ubyte.gz")
                 for p in ("train", "t10k") for k in ("images-idx3", "labels-idx1")]
        missing = [p for p in paths if not os.path.isfile(p)]
        if missing:
            raise TrainError(f"fashion-mnist: missing {', '.join(missing)} "
                             "(install the Debian package dataset-fashion-mnist or set EDGEQ_FASHION_MNIST_DIR)")
        train_all, test = read_idx_pair(paths[0], paths[1]), read_idx_pair(paths[2], paths[3])
        names, name, camera = list(FASHION_MNIST_LABELS), "fashion-mnist", False
        test_description = "fashion-mnist t10k test set"
        color = color or "gray"
    elif spec.startswith("idx:"):
        parts = [p for p in spec[4:].split(",") if p]
        if len(parts) not in (2, 4):
            raise TrainError(f"bad dataset spec '{spec}': expected idx:IMAGES,LABELS[,TEST_IMAGES,TEST_LABELS]")
        train_all = read_idx_pair(parts[0], parts[1])
        test = read_idx_pair(parts[2], parts[3]) if len(parts) == 4 else None
        n_classes = int(max(train_all.labels.max(), test.labels.max() if test else 0)) + 1
        names = _read_label_file(labels_file, n_classes) if labels_file else [str(i) for i in range(n_classes)]
        name, camera = os.path.basename(parts[0]), False
        test_description = f"idx test set {parts[2]}" if test else "validation split"
        color = color or "gray"
    elif spec.startswith("folder:"):
        root = spec[len("folder:"):]
        color = color or "rgb"
        train_all, names = read_folder(root, color, size or 32)
        test, name, camera = None, os.path.basename(os.path.normpath(root)), True
        test_description = "validation split"
    else:
        raise TrainError(f"unknown dataset '{spec}': expected fashion-mnist, idx:IMAGES,LABELS[,TEST_IMAGES,TEST_LABELS] or folder:DIR")

    if limit is not None:
        if limit <= 0:
            raise TrainError("--limit must be positive")
        train_all = train_all.subset(range(min(limit, len(train_all))))
    if test is not None and test_limit is not None:
        test = test.subset(range(min(test_limit, len(test))))
    train_all, test = adapt(train_all, color, size), (adapt(test, color, size) if test else None)

    train_idx, val_idx = stratified_split(train_all.labels.numpy(), val_fraction)
    val = train_all.subset(val_idx) if len(val_idx) else None
    train = train_all.subset(train_idx)
    if test is None:
        if val is None:
            raise TrainError(f"{spec} has no test set: use --val-fraction > 0 so accuracy can be measured")
        test = val
    if len(train) == 0:
        raise TrainError(f"{spec}: no training images left after the validation split")
    return Splits(name=name, label_names=names, color=color, train=train, val=val, test=test,
                  test_description=test_description, is_camera_like=camera)


def channel_stats(images):
    """Per-channel mean and (population) std of uint8 images scaled by 1/255. Sums are exact
    integers, accumulated in chunks so a big dataset never becomes one huge float tensor."""
    channels = images.shape[1]
    total = torch.zeros(channels, dtype=torch.int64)
    squares = torch.zeros(channels, dtype=torch.int64)
    for start in range(0, images.shape[0], 4096):
        chunk = images[start:start + 4096].to(torch.int64)
        total += chunk.sum(dim=(0, 2, 3))
        squares += (chunk * chunk).sum(dim=(0, 2, 3))
    count = images.shape[0] * images.shape[2] * images.shape[3]
    mean = total.double() / count / 255.0
    var = (squares.double() / count / (255.0 * 255.0) - mean * mean).clamp_min(1e-12)
    return [round(float(m), 6) for m in mean], [round(float(s), 6) for s in var.sqrt()]
