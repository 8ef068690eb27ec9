"""The model zoo. Every model takes NCHW float input (normalized) and returns raw logits, and
exports to ONNX using only: Conv, Relu, Clip (ReLU6), MaxPool, AveragePool, GlobalAveragePool,
Gemm, Flatten, BatchNormalization, Add, Dropout, Identity, Constant (checked by the tests).
"""
import torch
from torch import nn

ARCH_CHOICES = ("seedcnn", "lenet5", "mobilenet-tiny", "resnet-tiny")


def _conv_out(size, kernel, stride, pad):
    return (size + 2 * pad - kernel) // stride + 1


class SeedCnn(nn.Module):
    """The course's CNN: 3x [conv3x3 pad 1 (16/32/64), ReLU, maxpool 2] -> flatten -> dense 128,
    ReLU -> dropout 0.5 -> classes. About 2.0 M MACs on 28x28x1."""

    def __init__(self, channels, size, classes):
        super().__init__()
        layers, c_in, s = [], channels, size
        for c_out in (16, 32, 64):
            layers += [nn.Conv2d(c_in, c_out, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2)]
            c_in, s = c_out, s // 2
        self.features = nn.Sequential(*layers)
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(64 * s * s, 128), nn.ReLU(),
                                        nn.Dropout(0.5), nn.Linear(128, classes))

    def forward(self, x):
        return self.classifier(self.features(x))


class LeNet5(nn.Module):
    """LeNet-5 with ReLU and max pooling: conv5x5 6 (pad 2), pool, conv5x5 16, pool,
    dense 120, 84, classes. About 0.42 M MACs on 28x28x1."""

    def __init__(self, channels, size, classes):
        super().__init__()
        s = _conv_out(size, 5, 1, 2) // 2
        s = _conv_out(s, 5, 1, 0) // 2
        self.features = nn.Sequential(
            nn.Conv2d(channels, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2))
        self.classifier = nn.Sequential(
            nn.Flatten(), nn.Linear(16 * s * s, 120), nn.ReLU(),
            nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, classes))

    def forward(self, x):
        return self.classifier(self.features(x))


def _conv_bn_relu6(c_in, c_out, kernel, stride, groups=1):
    return [nn.Conv2d(c_in, c_out, kernel, stride=stride, padding=kernel // 2, groups=groups, bias=False),
            nn.BatchNorm2d(c_out), nn.ReLU6()]


class MobileNetTiny(nn.Module):
    """MobileNet-v1 style: conv3x3-BN-ReLU6 stem, depthwise separable blocks
    (depthwise 3x3-BN-ReLU6, pointwise 1x1-BN-ReLU6), global average pool, dense."""

    BLOCKS = ((16, 32, 2), (32, 64, 1), (64, 128, 2), (128, 128, 1))  # (in, out, depthwise stride)

    def __init__(self, channels, size, classes):
        super().__init__()
        layers = _conv_bn_relu6(channels, 16, 3, 1)
        for c_in, c_out, stride in self.BLOCKS:
            layers += _conv_bn_relu6(c_in, c_in, 3, stride, groups=c_in)
            layers += _conv_bn_relu6(c_in, c_out, 1, 1)
        self.features = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d(1)   # exports as GlobalAveragePool
        self.classifier = nn.Sequential(nn.Flatten(), nn.Dropout(0.2), nn.Linear(128, classes))

    def forward(self, x):
        return self.classifier(self.pool(self.features(x)))


class ResidualBlock(nn.Module):
    """conv3x3-BN-ReLU, conv3x3-BN, plus the shortcut (identity, or 1x1 conv-BN when the shape
    changes), Add, ReLU. Both Add inputs have the same shape."""

    def __init__(self, c_in, c_out, stride):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(),
            nn.Conv2d(c_out, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out))
        if stride == 1 and c_in == c_out:
            self.shortcut = nn.Identity()
        else:
            self.shortcut = nn.Sequential(nn.Conv2d(c_in, c_out, 1, stride=stride, bias=False), nn.BatchNorm2d(c_out))
        self.relu = nn.ReLU()

    def forward(self, x):
        return self.relu(self.body(x) + self.shortcut(x))


class ResNetTiny(nn.Module):
    """Stem conv3x3 16-BN-ReLU, maxpool 2, residual blocks 16 (identity shortcut), 32 and 64
    (stride 2, projection shortcut), global average pool, dense."""

    def __init__(self, channels, size, classes):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(channels, 16, 3, padding=1, bias=False), nn.BatchNorm2d(16),
                                  nn.ReLU(), nn.MaxPool2d(2))
        self.blocks = nn.Sequential(ResidualBlock(16, 16, 1), ResidualBlock(16, 32, 2), ResidualBlock(32, 64, 2))
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(64, classes))

    def forward(self, x):
        return self.classifier(self.pool(self.blocks(self.stem(x))))


_BUILDERS = {"seedcnn": SeedCnn, "lenet5": LeNet5, "mobilenet-tiny": MobileNetTiny, "resnet-tiny": ResNetTiny}


def build(arch, channels, size, classes):
    from .errors import TrainError
    if arch not in _BUILDERS:
        raise TrainError(f"unknown --arch '{arch}', expected one of {', '.join(ARCH_CHOICES)}")
    if size < 8:
        raise TrainError(f"--size {size} is too small for {arch} (at least 8)")
    return _BUILDERS[arch](channels, size, classes)


def count_params(model):
    return sum(p.numel() for p in model.parameters())


def count_macs(model, channels, size):
    """Multiply-accumulates of one inference (Conv2d and Linear; bias adds, pooling, BN and
    activations not counted), measured with forward hooks on a batch of 1."""
    total = [0]

    def conv_hook(module, _inputs, output):
        k = module.kernel_size[0] * module.kernel_size[1] * (module.in_channels // module.groups)
        total[0] += output.numel() * k

    def linear_hook(module, _inputs, output):
        total[0] += output.numel() * module.in_features

    hooks = []
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            hooks.append(m.register_forward_hook(conv_hook))
        elif isinstance(m, nn.Linear):
            hooks.append(m.register_forward_hook(linear_hook))
    was_training = model.training
    model.eval()
    with torch.no_grad():
        model(torch.zeros(1, channels, size, size, device=next(model.parameters()).device))
    model.train(was_training)
    for h in hooks:
        h.remove()
    return total[0]
