#!/usr/bin/env python3
"""Builds the torchvision 0.14 classification families for edgeq's model-zoo checks.

For each family: the torchvision model with random weights (fixed seed, torchvision's own init),
BatchNorm statistics re-estimated on images, exported with torch.onnx.export(opset_version=13);
PyTorch's float logits on the test images; and PyTorch 1.13's own FX post-training quantization
(onednn qconfig: HistogramObserver activations, per-channel symmetric weights) calibrated on the
same calibration images, with its int8 logit SQNR against the float logits.

Images: Fashion-MNIST (Debian dataset-fashion-mnist) upsampled bilinearly to the input size and
colourised per image (a random background and foreground colour, the garment's grey level blending
the two), so the three channels differ and activations look like those of real photos more than
noise would. BatchNorm statistics come from training images that are neither calibration nor test
images; calibration images are the first training images, test images the first test-set images.

Writes into --out:
  manifest.json                      what was built (read by the Java side: ModelZoo)
  images-SIZE-calibration.u8         N x SIZE x SIZE x 3 raw pixels (NHWC, RGB)
  images-SIZE-test.u8                M x SIZE x SIZE x 3
  FAMILY.onnx, FAMILY.json           the model and its input spec (ImageNet mean/std, pixels / 255)
  FAMILY-logits.f32                  PyTorch float logits on the test images (M x classes, little-endian)

--size ci: small inputs (64 px, 75 for inception_v3, its minimum) and reduced widths or depths where
the constructors allow (see CI_NOTES), for a test run of a few minutes; --size full: the stock
architectures at 224 px.
"""
import argparse
import copy
import functools
import gzip
import importlib
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torchvision
from torchvision import models
from torchvision.models import mobilenetv3, efficientnet, vgg

# torchvision.models.googlenet and .inception name both a module and a function: take the modules
googlenet_mod = importlib.import_module("torchvision.models.googlenet")
inception_mod = importlib.import_module("torchvision.models.inception")

MEAN = [0.485, 0.456, 0.406]
STD = [0.229, 0.224, 0.225]
CLASSES = 1000
FASHION_MNIST = os.environ.get("EDGEQ_FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist")
FAMILIES = ["alexnet", "vgg11_bn", "resnet18", "resnext50_32x4d", "squeezenet1_1", "densenet121", "googlenet",
            "inception_v3", "shufflenet_v2_x0_5", "mobilenet_v2", "mobilenet_v3_small", "mobilenet_v3_large",
            "mnasnet0_5", "efficientnet_b0", "regnet_x_400mf", "regnet_y_400mf"]
# Not in the default list nor in CI (no reduced variant): the big stock models issue 11 times and
# measures peak memory on (--size full --families resnet50,vgg11).
EXTRA_FAMILIES = ["resnet50", "vgg11"]
BN_BATCHES, BN_BATCH = 4, 16


# ---- the architectures -------------------------------------------------------------------------

def stock(name):
    kwargs = {"aux_logits": False, "init_weights": True} if name in ("googlenet", "inception_v3") else {}
    return getattr(models, name)(weights=None, num_classes=CLASSES, **kwargs)


def narrow_conv(conv_block, divisor):
    """A conv_block that divides every channel count by `divisor` (except the 3 input channels):
    the constructors that take their blocks as parameters (GoogLeNet, Inception3) then build the
    same graph with narrower layers, all concatenations staying consistent."""
    def make(in_channels, out_channels, **kw):
        return conv_block(in_channels if in_channels == 3 else in_channels // divisor, out_channels // divisor, **kw)
    return make


def new_fc(model, in_features, std):
    model.fc = nn.Linear(in_features, CLASSES)
    nn.init.trunc_normal_(model.fc.weight, mean=0.0, std=std, a=-2, b=2)  # as the family's own init
    nn.init.zeros_(model.fc.bias)
    return model


def small_classifier(model, in_features, hidden, dropout, init):
    """AlexNet/VGG's three-layer head at a width that fits CI (the stock one has 4096 units)."""
    model.avgpool = nn.AdaptiveAvgPool2d(1)
    model.classifier = nn.Sequential(nn.Dropout(dropout), nn.Linear(in_features, hidden), nn.ReLU(True),
                                     nn.Dropout(dropout), nn.Linear(hidden, hidden), nn.ReLU(True),
                                     nn.Linear(hidden, CLASSES))
    if init:
        for m in model.classifier:
            if isinstance(m, nn.Linear):
                nn.init.normal_(m.weight, 0, 0.01)  # as VGG's own init
                nn.init.zeros_(m.bias)
    return model


def ci_alexnet():
    return small_classifier(stock("alexnet"), 256, 512, 0.5, init=False)


def ci_vgg11_bn():
    cfg = [16, "M", 32, "M", 64, 64, "M", 128, 128, "M", 128, 128, "M"]  # vgg11 "A" at a quarter width
    return small_classifier(vgg.VGG(vgg.make_layers(cfg, batch_norm=True), CLASSES, init_weights=True), 128, 512,
                            0.5, init=True)


def ci_googlenet():
    conv = narrow_conv(googlenet_mod.BasicConv2d, 4)
    m = googlenet_mod.GoogLeNet(CLASSES, aux_logits=False, init_weights=True,
                                blocks=[conv, functools.partial(googlenet_mod.Inception, conv_block=conv),
                                        googlenet_mod.InceptionAux])
    return new_fc(m, 1024 // 4, 0.01)


def ci_inception_v3():
    conv = narrow_conv(inception_mod.BasicConv2d, 4)
    blocks = [conv] + [functools.partial(b, conv_block=conv) for b in (
        inception_mod.InceptionA, inception_mod.InceptionB, inception_mod.InceptionC, inception_mod.InceptionD,
        inception_mod.InceptionE, inception_mod.InceptionAux)]
    m = inception_mod.Inception3(CLASSES, aux_logits=False, inception_blocks=blocks, init_weights=True)
    return new_fc(m, 2048 // 4, 0.1)


def ci_mobilenet_v3(arch):
    setting, last = mobilenetv3._mobilenet_v3_conf(arch, width_mult=0.5)
    return mobilenetv3.MobileNetV3(setting, last, num_classes=CLASSES)


def ci_efficientnet_b0():
    setting, last = efficientnet._efficientnet_conf("efficientnet_b0", width_mult=0.5, depth_mult=0.5)
    return efficientnet.EfficientNet(setting, 0.2, num_classes=CLASSES, last_channel=last)


# family -> (constructor, input size, what differs from the stock architecture)
CI = {
    "alexnet": (ci_alexnet, 64, "features stock; global average pool and a 512-unit head (stock: 6x6 pool, 4096)"),
    "vgg11_bn": (ci_vgg11_bn, 64, "quarter width; global average pool and a 512-unit head"),
    "resnet18": (lambda: models.ResNet(models.resnet.BasicBlock, [1, 1, 1, 1], num_classes=CLASSES), 64,
                 "one block per stage (stock: 2, 2, 2, 2)"),
    "resnext50_32x4d": (lambda: models.ResNet(models.resnet.Bottleneck, [1, 1, 1, 1], groups=32, width_per_group=4,
                                              num_classes=CLASSES), 64, "one block per stage (stock: 3, 4, 6, 3)"),
    "squeezenet1_1": (lambda: stock("squeezenet1_1"), 64, "stock"),
    "densenet121": (lambda: models.DenseNet(16, (2, 4, 8, 6), 32, num_classes=CLASSES), 64,
                    "growth 16, blocks (2, 4, 8, 6), 32 initial features (stock: 32, (6, 12, 24, 16), 64)"),
    "googlenet": (ci_googlenet, 64, "quarter width (conv_block parameter)"),
    "inception_v3": (ci_inception_v3, 75, "quarter width (inception_blocks parameter)"),
    "shufflenet_v2_x0_5": (lambda: stock("shufflenet_v2_x0_5"), 64, "stock"),
    "mobilenet_v2": (lambda: models.MobileNetV2(CLASSES, width_mult=0.5), 64, "width_mult 0.5"),
    "mobilenet_v3_small": (lambda: ci_mobilenet_v3("mobilenet_v3_small"), 64, "width_mult 0.5"),
    "mobilenet_v3_large": (lambda: ci_mobilenet_v3("mobilenet_v3_large"), 64, "width_mult 0.5"),
    "mnasnet0_5": (lambda: stock("mnasnet0_5"), 64, "stock"),
    "efficientnet_b0": (ci_efficientnet_b0, 64, "width_mult 0.5, depth_mult 0.5"),
    "regnet_x_400mf": (lambda: stock("regnet_x_400mf"), 64, "stock"),
    "regnet_y_400mf": (lambda: stock("regnet_y_400mf"), 64, "stock"),
}


def build(family, size):
    if size == "ci" and family in EXTRA_FAMILIES:
        raise SystemExit("zoo: %s has no CI variant; use --size full" % family)
    if size == "ci":
        make, pixels, note = CI[family]
        return make(), pixels, note
    return stock(family), 224, "stock"


# ---- images -------------------------------------------------------------------------------------

def read_idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    count, rows, cols = (int.from_bytes(data[i:i + 4], "big") for i in (4, 8, 12))
    return np.frombuffer(data, np.uint8, offset=16).reshape(count, rows, cols)


def colourise(gray, pixels, rng):
    """N x 28 x 28 grey -> N x pixels x pixels x 3 uint8: bilinear upsampling, then a background and a
    foreground colour per image blended by the grey level."""
    g = torch.from_numpy(gray.astype(np.float32) / 255.0)[:, None]
    g = torch.nn.functional.interpolate(g, size=(pixels, pixels), mode="bilinear", align_corners=False)[:, 0]
    g = g.clamp(0, 1).numpy()[..., None]
    n = len(gray)
    background = rng.uniform(0, 255, size=(n, 1, 1, 3))
    foreground = rng.uniform(0, 255, size=(n, 1, 1, 3))
    return np.rint(background + (foreground - background) * g).clip(0, 255).astype(np.uint8)


class Images:
    """The calibration, test and BatchNorm images at one input size."""

    def __init__(self, pixels, calibration, test, seed):
        train = read_idx(os.path.join(FASHION_MNIST, "train-images-idx3-ubyte.gz"))
        t10k = read_idx(os.path.join(FASHION_MNIST, "t10k-images-idx3-ubyte.gz"))
        rng = np.random.default_rng(seed)
        bn = BN_BATCHES * BN_BATCH
        self.calibration = colourise(train[:calibration], pixels, rng)
        self.test = colourise(t10k[:test], pixels, rng)
        self.batchnorm = colourise(train[calibration:calibration + bn], pixels, rng)

    @staticmethod
    def normalized(u8):
        x = torch.from_numpy(u8).permute(0, 3, 1, 2).float() / 255.0
        return (x - torch.tensor(MEAN).view(1, 3, 1, 1)) / torch.tensor(STD).view(1, 3, 1, 1)


# ---- one family -----------------------------------------------------------------------------------

def reestimate_batchnorm(model, images):
    """Running statistics from images (cumulative average over all batches); everything else in eval
    mode, so Dropout and stochastic depth do not disturb them."""
    model.eval()
    for m in model.modules():
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            m.reset_running_stats()
            m.momentum = None
            m.train()
    with torch.no_grad():
        for batch in Images.normalized(images).split(BN_BATCH):
            model(batch)
    model.eval()


def sqnr_db(reference, actual):
    noise = float(((reference - actual) ** 2).sum())
    signal = float((reference ** 2).sum())
    return math.inf if noise == 0 else 10 * math.log10(signal / noise)


def traceable_shuffle_block(self, x):
    """torchvision's ShuffleNetV2 InvertedResidual.forward, in a form FX can trace (the stock one
    unpacks x.chunk() and x.size() into Python variables): the same split, concatenation and
    channel shuffle."""
    if self.stride == 1:
        half = self.branch2[0].in_channels
        out = torch.cat((x[:, :half], self.branch2(x[:, half:])), dim=1)
    else:
        out = torch.cat((self.branch1(x), self.branch2(x)), dim=1)
    return out.unflatten(1, (2, -1)).transpose(1, 2).flatten(1, 2)


def fx_int8(model, calibration, test, timings):
    """PyTorch 1.13 FX post-training quantization with the onednn qconfig; returns the logits of its
    reference model (convert_to_reference_fx: the same quantization parameters, with every tensor
    quantized and dequantized and the arithmetic in float) and of its int8 kernel model (convert_fx).
    The reference is what the SQNR bar compares edgeq with: the int8 kernels' results depend on the
    CPU (oneDNN without AVX-512 VNNI multiplies u8 x s8 pairs into saturating int16 sums; measured at
    CI size on alexnet: 36.6 dB on an AVX2 machine, 44.2 dB with VNNI), the quantizer's choices do not.
    Adds to `timings` the post-training quantization alone (prepare, calibration, convert_fx; not the
    test inference): fx_ptq_wall_s and fx_ptq_cpu_s, the reference edgeq convert is timed against."""
    from torch.ao.quantization import get_default_qconfig_mapping
    from torch.ao.quantization.quantize_fx import prepare_fx, convert_fx, convert_to_reference_fx
    torch.backends.quantized.engine = "onednn"
    wall, cpu = time.perf_counter(), time.process_time()
    block = importlib.import_module("torchvision.models.shufflenetv2").InvertedResidual
    stock_forward = block.forward
    block.forward = traceable_shuffle_block  # while tracing only: the ONNX export used the stock one
    try:
        prepared = prepare_fx(copy.deepcopy(model).eval(), get_default_qconfig_mapping("onednn"),
                              example_inputs=(calibration[:1],))
    finally:
        block.forward = stock_forward
    with torch.no_grad():
        for batch in calibration.split(8):
            prepared(batch)
        calibrated = copy.deepcopy(prepared)
        quantized = convert_fx(prepared)
        timings["fx_ptq_wall_s"] = time.perf_counter() - wall
        timings["fx_ptq_cpu_s"] = time.process_time() - cpu
        reference = convert_to_reference_fx(calibrated)
        return reference(test), quantized(test)


def onnx_ops(path):
    import onnx
    return sorted({n.op_type for n in onnx.load(path).graph.node})


def make_family(family, size, out, images_at, seed):
    timings = {}
    start = time.process_time()
    torch.manual_seed(seed)
    model, pixels, note = build(family, size)
    images = images_at(pixels)
    reestimate_batchnorm(model, images.batchnorm)
    timings["build_cpu_s"] = time.process_time() - start

    start = time.process_time()
    onnx_path = os.path.join(out, family + ".onnx")
    example = Images.normalized(images.test[:1])
    torch.onnx.export(model, example, onnx_path, opset_version=13, input_names=["input"], output_names=["logits"])
    with open(os.path.join(out, family + ".json"), "w") as f:
        json.dump({"model_name": family, "input": {"height": pixels, "width": pixels, "channels": 3,
                                                   "layout": "NCHW", "color": "rgb", "pixel_scale": 1 / 255,
                                                   "mean": MEAN, "std": STD}}, f, indent=1)
    with torch.no_grad():
        logits = model(Images.normalized(images.test))
    logits.numpy().astype("<f4").tofile(os.path.join(out, family + "-logits.f32"))
    timings["export_cpu_s"] = time.process_time() - start

    entry = {"family": family, "size": pixels, "classes": int(logits.shape[1]), "architecture": note,
             "params": sum(p.numel() for p in model.parameters()), "onnx_ops": onnx_ops(onnx_path),
             "onnx": family + ".onnx", "logits": family + "-logits.f32",
             "calibration_images": "images-%d-calibration.u8" % pixels, "test_images": "images-%d-test.u8" % pixels}
    start = time.process_time()
    try:
        reference, kernels = fx_int8(model, Images.normalized(images.calibration), Images.normalized(images.test), timings)
        entry["fx_sqnr_db"] = sqnr_db(logits, reference)
        entry["fx_kernel_sqnr_db"] = sqnr_db(logits, kernels)
    except Exception as e:  # a family FX cannot trace or quantize: say so, do not stop the others
        entry["fx_error"] = "%s: %s" % (type(e).__name__, str(e).splitlines()[0] if str(e) else "")
    timings["fx_cpu_s"] = time.process_time() - start
    entry.update({k: round(v, 2) for k, v in timings.items()})
    return entry


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--out", required=True)
    p.add_argument("--size", choices=["ci", "full"], default="ci")
    p.add_argument("--families", default=",".join(FAMILIES), help="comma-separated (default or empty: all 16; --size full also takes %s)"
                   % ", ".join(EXTRA_FAMILIES))
    p.add_argument("--calibration", type=int, default=8, help="calibration images (default 8)")
    p.add_argument("--test", type=int, default=8, help="test images (default 8)")
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args(argv)
    families = [f for f in a.families.split(",") if f] or FAMILIES
    unknown = [f for f in families if f not in FAMILIES + EXTRA_FAMILIES]
    if unknown:
        p.error("unknown families %s; known: %s" % (unknown, ", ".join(FAMILIES + EXTRA_FAMILIES)))
    os.makedirs(a.out, exist_ok=True)
    torch.set_num_threads(max(1, min(2, os.cpu_count() or 1)))
    image_sets = {}

    def images_at(pixels):
        if pixels not in image_sets:
            image_sets[pixels] = Images(pixels, a.calibration, a.test, a.seed)
            image_sets[pixels].calibration.tofile(os.path.join(a.out, "images-%d-calibration.u8" % pixels))
            image_sets[pixels].test.tofile(os.path.join(a.out, "images-%d-test.u8" % pixels))
        return image_sets[pixels]

    entries = []
    for family in families:
        entry = make_family(family, a.size, a.out, images_at, a.seed)
        entries.append(entry)
        print("zoo: %-20s %3d px  ops %-60s fx %s  (%.1f s CPU)" % (
            family, entry["size"], ",".join(entry["onnx_ops"]),
            "%.2f dB" % entry["fx_sqnr_db"] if "fx_sqnr_db" in entry else entry["fx_error"],
            entry["build_cpu_s"] + entry["export_cpu_s"] + entry["fx_cpu_s"]), file=sys.stderr, flush=True)
    manifest = {"generator": "tools/zoo/zoo.py", "torch": torch.__version__, "torchvision": torchvision.__version__,
                "size": a.size, "seed": a.seed, "calibration": a.calibration, "test": a.test,
                "images": "Fashion-MNIST (%s) upsampled bilinearly and colourised per image" % FASHION_MNIST,
                "fx_qconfig": "onednn (get_default_qconfig_mapping('onednn')), SQNR of its reference model (convert_to_reference_fx)",
                "mean": MEAN, "std": STD, "families": entries}
    with open(os.path.join(a.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)


if __name__ == "__main__":
    main()
