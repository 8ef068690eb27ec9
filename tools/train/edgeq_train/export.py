"""ONNX export and the model JSON the edgeq converter reads (format: tools/train/README.md)."""
import json
import os

import torch

from .errors import TrainError

JSON_FORMAT = "edgeq-train-model"
JSON_FORMAT_VERSION = 1
PIXEL_SCALE = 1.0 / 255.0
INPUT_NAME = "input"
OUTPUT_NAME = "logits"
# The op types the converter's importer supports that our architectures may produce.
ALLOWED_ONNX_OPS = frozenset({
    "Conv", "Relu", "Clip", "MaxPool", "AveragePool", "GlobalAveragePool", "Gemm", "MatMul",
    "Add", "Flatten", "Reshape", "BatchNormalization", "Dropout", "Identity", "Constant"})


def export_onnx(model, channels, height, width, path, opset=13, fold_batchnorm=False):
    """Export in inference form (Dropout a no-op, BatchNorm with running statistics).

    fold_batchnorm=False (default) exports with TrainingMode.PRESERVE on a model in eval mode,
    which skips torch's Conv+BN fusion peephole: BatchNormalization nodes stay in the graph and
    the edgeq converter folds them. True lets torch fold them (TrainingMode.EVAL).
    Returns the sorted list of op types in the exported graph.
    """
    import onnx
    from torch.onnx import TrainingMode
    model = model.to("cpu").eval()
    dummy = torch.zeros(1, channels, height, width)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    torch.onnx.export(
        model, dummy, path, opset_version=opset,
        input_names=[INPUT_NAME], output_names=[OUTPUT_NAME],
        dynamic_axes={INPUT_NAME: {0: "batch"}, OUTPUT_NAME: {0: "batch"}},
        training=TrainingMode.EVAL if fold_batchnorm else TrainingMode.PRESERVE,
        do_constant_folding=fold_batchnorm)
    graph_model = onnx.load(path)
    onnx.checker.check_model(graph_model)
    ops = sorted({node.op_type for node in graph_model.graph.node})
    unexpected = [op for op in ops if op not in ALLOWED_ONNX_OPS]
    if unexpected:
        raise TrainError(f"{path}: exported graph uses op types outside edgeq's supported set: {', '.join(unexpected)}")
    return ops


def model_json(*, model_name, labels, channels, height, width, color, mean, std,
               float_test_accuracy, test_set, test_images, val_accuracy, params, macs,
               onnx_file, onnx_bytes, onnx_ops, opset, arch, dataset, training):
    return {
        "format": JSON_FORMAT,
        "format_version": JSON_FORMAT_VERSION,
        "model_name": model_name,
        "labels": list(labels),
        "input": {
            "name": INPUT_NAME,
            "height": height,
            "width": width,
            "channels": channels,
            "layout": "NCHW",
            "color": color,
            "pixel_scale": PIXEL_SCALE,
            "mean": list(mean),
            "std": list(std),
        },
        "output": {"name": OUTPUT_NAME, "kind": "logits"},
        "float_test_accuracy": round(float(float_test_accuracy), 6),
        "test_set": test_set,
        "test_images": test_images,
        "val_accuracy": None if val_accuracy is None else round(float(val_accuracy), 6),
        "params": params,
        "macs": macs,
        "onnx_file": onnx_file,
        "onnx_bytes": onnx_bytes,
        "onnx_opset": opset,
        "onnx_ops": list(onnx_ops),
        "arch": arch,
        "dataset": dataset,
        "torch_version": torch.__version__,
        "training": training,
    }


def write_json(document, path):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(document, f, indent=2, ensure_ascii=False)
        f.write("\n")
    os.replace(tmp, path)
