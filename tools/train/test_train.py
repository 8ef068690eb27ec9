"""Tests for tools/train (stdlib unittest; needs Debian's python3-torch, python3-onnx, python3-pil,
python3-numpy and dataset-fashion-mnist). Run from the repository root with the interpreter that
has torch:

    /usr/bin/python3 -m unittest discover -s tools/train -p 'test_*.py' -v
"""
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import unittest

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # same as train.py: shared CI cores
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

import numpy as np  # noqa: E402
import onnx  # noqa: E402
import torch  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

from edgeq_train import archs, augment, cli, data, export, trainer  # noqa: E402
from edgeq_train.errors import TrainError  # noqa: E402
from edgeq_train.runtime import select_runtime  # noqa: E402

TRAIN_SCRIPT = os.path.join(HERE, "train.py")
FASHION_DIR = os.environ.get("EDGEQ_FASHION_MNIST_DIR", data.FASHION_MNIST_DIR)


def run_cli(*args, env=None):
    """Run train.py in a fresh interpreter (this one: it has torch) and capture its output."""
    full_env = dict(os.environ, **(env or {}))
    return subprocess.run([sys.executable, TRAIN_SCRIPT, *args], capture_output=True, text=True,
                          env=full_env, timeout=300)


def train_in_process(*args):
    return trainer.train(cli.parse(list(args) + ["--quiet", "--threads", "1"]))


def make_shapes_folder(root, classes=("circle", "square", "triangle"), per_class=10, size=(40, 30)):
    """Generated camera-like pictures: one coloured shape per image on a noisy background,
    random position and size; non-square frames so the centre crop is exercised; one JPEG."""
    rng = random.Random(7)
    colours = {"circle": (220, 40, 40), "square": (40, 200, 60), "triangle": (50, 80, 230)}
    for name in classes:
        os.makedirs(os.path.join(root, name), exist_ok=True)
        for i in range(per_class):
            img = Image.new("RGB", size, tuple(rng.randrange(40, 90) for _ in range(3)))
            draw = ImageDraw.Draw(img)
            r = rng.randrange(6, 11)
            cx, cy = rng.randrange(12, size[0] - 12), rng.randrange(r, size[1] - r)
            box = (cx - r, cy - r, cx + r, cy + r)
            if name == "circle":
                draw.ellipse(box, fill=colours[name])
            elif name == "square":
                draw.rectangle(box, fill=colours[name])
            else:
                draw.polygon([(cx, cy - r), (cx - r, cy + r), (cx + r, cy + r)], fill=colours[name])
            ext = "jpg" if i == 0 else "png"
            img.save(os.path.join(root, name, f"{i:03d}.{ext}"))


def run_onnx_graph(model_proto, x):
    """A small, independent interpreter for the exported op subset (ONNX semantics: attributes,
    initializers, Constant nodes), built on torch.nn.functional primitives. Used to check that the
    exported graph computes what the PyTorch model computes."""
    from onnx import numpy_helper
    import torch.nn.functional as F
    values = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy()) for t in model_proto.graph.initializer}
    values[model_proto.graph.input[0].name] = x
    for node in model_proto.graph.node:
        attrs = {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}
        ins = [values[name] if name else None for name in node.input]
        op = node.op_type
        if op == "Constant":
            out = torch.from_numpy(numpy_helper.to_array(attrs["value"]).copy())
        elif op == "Conv":
            pads = attrs.get("pads", [0, 0, 0, 0])
            if pads[:2] != pads[2:]:
                raise AssertionError(f"asymmetric pads in {node.name}")
            out = F.conv2d(ins[0], ins[1], ins[2] if len(ins) > 2 else None, stride=attrs.get("strides", [1, 1]),
                           padding=pads[:2], dilation=attrs.get("dilations", [1, 1]), groups=attrs.get("group", 1))
        elif op == "Relu":
            out = ins[0].clamp_min(0)
        elif op == "Clip":
            lo = ins[1] if len(ins) > 1 and ins[1] is not None else torch.tensor(attrs.get("min", -3.4e38))
            hi = ins[2] if len(ins) > 2 and ins[2] is not None else torch.tensor(attrs.get("max", 3.4e38))
            out = torch.minimum(torch.maximum(ins[0], lo), hi)
        elif op == "MaxPool":
            pads = attrs.get("pads", [0, 0, 0, 0])
            out = F.max_pool2d(ins[0], attrs["kernel_shape"], attrs.get("strides", attrs["kernel_shape"]),
                               padding=pads[:2], ceil_mode=bool(attrs.get("ceil_mode", 0)))
        elif op == "GlobalAveragePool":
            out = ins[0].mean(dim=(2, 3), keepdim=True)
        elif op == "BatchNormalization":
            if len(node.output) != 1 or attrs.get("training_mode", 0):
                raise AssertionError(f"{node.name} is in training form")
            out = F.batch_norm(ins[0], ins[3], ins[4], ins[1], ins[2], training=False, eps=attrs.get("epsilon", 1e-5))
        elif op == "Add":
            out = ins[0] + ins[1]
        elif op == "Flatten":
            out = ins[0].reshape(ins[0].shape[0], -1) if attrs.get("axis", 1) == 1 else None
        elif op == "Gemm":
            b = ins[1].t() if attrs.get("transB", 0) else ins[1]
            a = ins[0].t() if attrs.get("transA", 0) else ins[0]
            out = attrs.get("alpha", 1.0) * (a @ b) + attrs.get("beta", 1.0) * ins[2]
        elif op == "Identity":
            out = ins[0]
        else:
            raise AssertionError(f"no reference for op {op}")
        values[node.output[0]] = out
    return values[model_proto.graph.output[0].name]


class RuntimeSelectionTest(unittest.TestCase):
    """The device/AMP/loader decision with CUDA forced present and absent (no GPU needed)."""

    def test_auto_with_cuda_uses_gpu_with_amp_and_pinned_memory(self):
        s = select_runtime("auto", cuda_available=True, cpu_count=16, seeded=False)
        self.assertEqual(s.device, "cuda")
        self.assertTrue(s.amp)
        self.assertTrue(s.pin_memory)
        self.assertTrue(s.non_blocking)
        self.assertEqual(s.loader_workers, 4)
        self.assertTrue(s.cudnn_benchmark)
        self.assertFalse(s.deterministic)

    def test_seeded_cuda_turns_autotuning_off_for_determinism(self):
        s = select_runtime("cuda", cuda_available=True, cpu_count=2, seeded=True)
        self.assertEqual(s.device, "cuda")
        self.assertFalse(s.cudnn_benchmark)
        self.assertTrue(s.deterministic)
        self.assertEqual(s.loader_workers, 1)

    def test_auto_without_cuda_uses_all_cpu_cores(self):
        s = select_runtime("auto", cuda_available=False, cpu_count=8, seeded=True)
        self.assertEqual(s.device, "cpu")
        self.assertEqual(s.cpu_threads, 8)
        self.assertFalse(s.amp)
        self.assertFalse(s.pin_memory)
        self.assertEqual(s.loader_workers, 0)
        self.assertTrue(s.deterministic)

    def test_cpu_requested_on_a_cuda_machine_stays_on_cpu(self):
        s = select_runtime("cpu", cuda_available=True, cpu_count=4, seeded=False)
        self.assertEqual((s.device, s.amp, s.pin_memory, s.cpu_threads), ("cpu", False, False, 4))

    def test_unknown_cpu_count_means_one_thread(self):
        self.assertEqual(select_runtime("cpu", False, None, False).cpu_threads, 1)

    def test_cuda_requested_without_cuda_is_a_clear_error(self):
        with self.assertRaisesRegex(TrainError, "CUDA is not available"):
            select_runtime("cuda", cuda_available=False, cpu_count=2, seeded=False)

    def test_unknown_device_is_rejected(self):
        with self.assertRaisesRegex(TrainError, "unknown --device 'tpu'"):
            select_runtime("tpu", cuda_available=True, cpu_count=2, seeded=False)

    def test_device_cuda_through_the_cli(self):
        with tempfile.TemporaryDirectory() as tmp:
            r = run_cli("--dataset", "fashion-mnist", "--device", "cuda", "--epochs", "1", "--limit", "300",
                        "--test-limit", "100", "--seed", "1", "--quiet", "--out", os.path.join(tmp, "m"))
            if torch.cuda.is_available():  # a GPU machine: the CUDA path must really train
                self.assertEqual(r.returncode, 0, r.stderr)
                with open(os.path.join(tmp, "m.json"), encoding="utf-8") as f:
                    self.assertEqual(json.load(f)["training"]["device"], "cuda")
            else:
                self.assertEqual(r.returncode, 2, r.stderr)
                self.assertEqual(r.stderr.strip().count("\n"), 0, r.stderr)
                self.assertIn("CUDA is not available", r.stderr)
                self.assertNotIn("Traceback", r.stderr)


class DataTest(unittest.TestCase):
    def test_fashion_mnist_loads_with_split_limit_and_known_statistics(self):
        splits = data.load("fashion-mnist", limit=2000, val_fraction=0.1)
        self.assertEqual(len(splits.train) + len(splits.val), 2000)
        self.assertEqual(len(splits.test), 10000)
        self.assertEqual(splits.label_names[7], "Sneaker")
        self.assertEqual((splits.channels, splits.height, splits.width), (1, 28, 28))
        # the stratified split takes ~10 % of each class
        for c in range(10):
            n_val = int((splits.val.labels == c).sum())
            n_all = n_val + int((splits.train.labels == c).sum())
            self.assertAlmostEqual(n_val, round(0.1 * n_all), delta=1)
        mean, std = data.channel_stats(data.load("fashion-mnist", val_fraction=0).train.images)
        self.assertAlmostEqual(mean[0], 0.2860, places=3)   # published Fashion-MNIST statistics
        self.assertAlmostEqual(std[0], 0.3530, places=3)

    def test_channel_stats_match_numpy(self):
        images = torch.randint(0, 256, (50, 3, 7, 5), dtype=torch.uint8)
        mean, std = data.channel_stats(images)
        x = images.numpy().astype(np.float64) / 255
        np.testing.assert_allclose(mean, x.mean(axis=(0, 2, 3)), atol=1e-6)
        np.testing.assert_allclose(std, x.std(axis=(0, 2, 3)), atol=1e-6)

    def test_idx_spec_with_resize_to_rgb(self):
        img = os.path.join(FASHION_DIR, "t10k-images-idx3-ubyte.gz")
        lbl = os.path.join(FASHION_DIR, "t10k-labels-idx1-ubyte.gz")
        splits = data.load(f"idx:{img},{lbl}", color="rgb", size=16, limit=500, val_fraction=0.2)
        self.assertEqual(tuple(splits.train.images.shape[1:]), (3, 16, 16))
        self.assertEqual(splits.test_description, "validation split")
        self.assertIs(splits.test, splits.val)
        self.assertEqual(splits.label_names, [str(i) for i in range(10)])

    def test_bad_idx_magic_names_the_file(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "bad-images")
            with open(path, "wb") as f:
                f.write(b"\x00\x00\x08\x01" + b"\x00" * 20)
            with self.assertRaisesRegex(TrainError, re.escape(path) + ": not an IDX uint8 image file"):
                data.read_idx_images(path)

    def test_truncated_idx_file_is_reported(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "short-images")
            with open(path, "wb") as f:
                f.write(bytes.fromhex("00000803 00000002 0000001c 0000001c") + b"\x00" * 100)
            with self.assertRaisesRegex(TrainError, "header says 2 images"):
                data.read_idx_images(path)

    def test_augmentations_keep_shape_range_and_are_seeded(self):
        batch = torch.rand(8, 3, 16, 16)
        for mode in augment.AUGMENT_CHOICES:
            a = augment.augment(batch, mode, torch.Generator().manual_seed(3))
            b = augment.augment(batch, mode, torch.Generator().manual_seed(3))
            self.assertEqual(a.shape, batch.shape)
            self.assertTrue(torch.equal(a, b), mode)
            self.assertGreaterEqual(float(a.min()), 0.0)
            self.assertLessEqual(float(a.max()), 1.0)
        self.assertFalse(torch.equal(augment.augment(batch, "camera", torch.Generator().manual_seed(3)), batch))

    def test_shift_crop_moves_pixels(self):
        batch = torch.zeros(1, 1, 8, 8)
        batch[0, 0, 4, 4] = 1
        moved = [tuple(torch.nonzero(augment._random_crop(batch, 2, "constant", torch.Generator().manual_seed(s)))[0, 2:].tolist())
                 for s in range(20)]
        self.assertGreater(len(set(moved)), 3)
        for y, x in moved:
            self.assertTrue(2 <= y <= 6 and 2 <= x <= 6)


class ExportTest(unittest.TestCase):
    """Every architecture exports to ONNX ops edgeq's converter supports, in inference form."""

    def export(self, arch, tmp, fold=False, channels=1, size=28):
        torch.manual_seed(0)
        model = archs.build(arch, channels, size, 10)
        path = os.path.join(tmp, f"{arch}.onnx")
        export.export_onnx(model, channels, size, size, path, fold_batchnorm=fold)
        return model, path, onnx.load(path)

    def test_op_types_names_shapes_and_size(self):
        expected_ops = {
            "seedcnn": {"Conv", "Relu", "MaxPool", "Flatten", "Gemm"},
            "lenet5": {"Conv", "Relu", "MaxPool", "Flatten", "Gemm"},
            "mobilenet-tiny": {"Conv", "BatchNormalization", "Clip", "GlobalAveragePool", "Flatten", "Gemm"},
            "resnet-tiny": {"Conv", "BatchNormalization", "Relu", "MaxPool", "Add", "GlobalAveragePool", "Flatten", "Gemm"},
        }
        with tempfile.TemporaryDirectory() as tmp:
            for arch in archs.ARCH_CHOICES:
                with self.subTest(arch=arch):
                    _, path, m = self.export(arch, tmp)
                    ops = {n.op_type for n in m.graph.node}
                    self.assertTrue(ops <= export.ALLOWED_ONNX_OPS, f"{arch}: {ops - export.ALLOWED_ONNX_OPS}")
                    self.assertTrue(expected_ops[arch] <= ops, f"{arch}: missing {expected_ops[arch] - ops}")
                    self.assertNotIn("Dropout", ops)  # inference form
                    self.assertEqual(m.opset_import[0].version, 13)
                    self.assertEqual([i.name for i in m.graph.input if i.name not in {t.name for t in m.graph.initializer}], ["input"])
                    self.assertEqual([o.name for o in m.graph.output], ["logits"])
                    dims = m.graph.input[0].type.tensor_type.shape.dim
                    self.assertEqual(dims[0].dim_param, "batch")
                    self.assertEqual([d.dim_value for d in dims[1:]], [1, 28, 28])
                    self.assertLess(os.path.getsize(path), 500 * 1024)

    def test_exported_graph_computes_the_pytorch_logits(self):
        with tempfile.TemporaryDirectory() as tmp:
            for arch in archs.ARCH_CHOICES:
                for fold in (False, True):
                    with self.subTest(arch=arch, fold_batchnorm=fold):
                        torch.manual_seed(0)
                        model = archs.build(arch, 1, 28, 10)
                        # non-trivial BatchNorm statistics, as after training
                        for m in model.modules():
                            if isinstance(m, torch.nn.BatchNorm2d):
                                m.running_mean.uniform_(-0.5, 0.5)
                                m.running_var.uniform_(0.5, 2.0)
                                m.weight.data.uniform_(0.5, 1.5)
                                m.bias.data.uniform_(-0.2, 0.2)
                        path = os.path.join(tmp, f"{arch}-{fold}.onnx")
                        export.export_onnx(model, 1, 28, 28, path, fold_batchnorm=fold)
                        x = torch.randn(3, 1, 28, 28)
                        with torch.no_grad():
                            expected = model.eval()(x)
                            actual = run_onnx_graph(onnx.load(path), x)
                        self.assertEqual(tuple(actual.shape), (3, 10))
                        self.assertLess(float((actual - expected).abs().max()), 1e-4)

    def test_mobilenet_has_depthwise_convs_and_relu6_clips(self):
        with tempfile.TemporaryDirectory() as tmp:
            _, _, m = self.export("mobilenet-tiny", tmp)
            groups = [a.i for n in m.graph.node if n.op_type == "Conv" for a in n.attribute if a.name == "group"]
            self.assertEqual(sorted(g for g in groups if g > 1), [16, 32, 64, 128])
            self.assertEqual(sum(n.op_type == "Clip" for n in m.graph.node), 9)

    def test_resnet_add_inputs_have_equal_shapes(self):
        with tempfile.TemporaryDirectory() as tmp:
            _, _, m = self.export("resnet-tiny", tmp)
            inferred = onnx.shape_inference.infer_shapes(m)
            shapes = {v.name: [d.dim_value or d.dim_param for d in v.type.tensor_type.shape.dim]
                      for v in list(inferred.graph.value_info) + list(inferred.graph.input)}
            adds = [n for n in m.graph.node if n.op_type == "Add"]
            self.assertEqual(len(adds), 3)
            for n in adds:
                self.assertEqual(shapes[n.input[0]], shapes[n.input[1]], n.name)

    def test_fold_batchnorm_option_removes_batchnorm(self):
        with tempfile.TemporaryDirectory() as tmp:
            _, _, m = self.export("resnet-tiny", tmp, fold=True)
            self.assertNotIn("BatchNormalization", {n.op_type for n in m.graph.node})

    def test_macs_and_params_of_the_course_models(self):
        seed = archs.build("seedcnn", 1, 28, 10)
        self.assertEqual(archs.count_macs(seed, 1, 28), 1994240)   # "about 2.0 M MACs"
        self.assertEqual(archs.count_params(seed), 98442)
        lenet = archs.build("lenet5", 1, 28, 10)
        self.assertEqual(archs.count_macs(lenet, 1, 28), 416520)   # "0.42 M MACs"
        self.assertEqual(archs.count_params(lenet), 61706)


class TrainingTest(unittest.TestCase):
    def test_same_seed_gives_identical_weights_and_another_seed_does_not(self):
        with tempfile.TemporaryDirectory() as tmp:
            common = ["--dataset", "fashion-mnist", "--arch", "resnet-tiny", "--epochs", "1", "--limit", "384",
                      "--test-limit", "100", "--batch-size", "64", "--augment", "light"]
            a, doc_a = train_in_process(*common, "--seed", "5", "--out", os.path.join(tmp, "a"))
            b, doc_b = train_in_process(*common, "--seed", "5", "--out", os.path.join(tmp, "b"))
            c, _ = train_in_process(*common, "--seed", "6", "--out", os.path.join(tmp, "c"))
            sa, sb, sc = a.state_dict(), b.state_dict(), c.state_dict()
            for k in sa:
                self.assertTrue(torch.equal(sa[k], sb[k]), k)
            self.assertFalse(all(torch.equal(sa[k], sc[k]) for k in sa))
            self.assertEqual(doc_a["float_test_accuracy"], doc_b["float_test_accuracy"])
            with open(os.path.join(tmp, "a.onnx"), "rb") as fa, open(os.path.join(tmp, "b.onnx"), "rb") as fb:
                self.assertEqual(fa.read(), fb.read())

    def test_folder_dataset_trains_one_epoch_and_exports_onnx_and_json(self):
        with tempfile.TemporaryDirectory() as tmp:
            folder = os.path.join(tmp, "shapes")
            make_shapes_folder(folder)
            out = os.path.join(tmp, "out", "shapes-model")
            _, doc = train_in_process("--dataset", f"folder:{folder}", "--arch", "mobilenet-tiny", "--epochs", "1",
                                      "--size", "24", "--seed", "1", "--batch-size", "8", "--out", out)
            with open(out + ".json", encoding="utf-8") as f:
                on_disk = json.load(f)
            self.assertEqual(on_disk, json.loads(json.dumps(doc)))
            self.assertEqual(on_disk["labels"], ["circle", "square", "triangle"])
            self.assertEqual(on_disk["model_name"], "shapes-model")
            spec = on_disk["input"]
            self.assertEqual((spec["height"], spec["width"], spec["channels"], spec["layout"], spec["color"]),
                             (24, 24, 3, "NCHW", "rgb"))
            self.assertAlmostEqual(spec["pixel_scale"], 1 / 255)
            self.assertEqual(len(spec["mean"]), 3)
            self.assertEqual(len(spec["std"]), 3)
            self.assertEqual(on_disk["training"]["augment"], "camera")
            self.assertEqual(on_disk["test_set"], "validation split")
            self.assertEqual(on_disk["test_images"], 3)   # 10 % of 10 per class, stratified
            self.assertEqual(on_disk["training"]["train_images"], 27)
            m = onnx.load(out + ".onnx")
            onnx.checker.check_model(m)
            dims = [d.dim_value for d in m.graph.input[0].type.tensor_type.shape.dim[1:]]
            self.assertEqual(dims, [3, 24, 24])
            out_dims = m.graph.output[0].type.tensor_type.shape.dim
            self.assertEqual(out_dims[1].dim_value, 3)

    def test_json_has_every_documented_key(self):
        with tempfile.TemporaryDirectory() as tmp:
            train_in_process("--dataset", "fashion-mnist", "--epochs", "1", "--limit", "256", "--test-limit", "200",
                             "--seed", "1", "--out", os.path.join(tmp, "m"))
            with open(os.path.join(tmp, "m.json"), encoding="utf-8") as f:
                doc = json.load(f)
        for key in ("format", "format_version", "model_name", "labels", "input", "output", "float_test_accuracy",
                    "test_set", "test_images", "params", "macs", "onnx_file", "onnx_opset", "arch", "dataset",
                    "torch_version", "training"):
            self.assertIn(key, doc)
        for key in ("height", "width", "channels", "layout", "color", "pixel_scale", "mean", "std"):
            self.assertIn(key, doc["input"])
        for key in ("epochs", "batch_size", "lr", "optimizer", "seed", "device", "duration_s", "images_per_s"):
            self.assertIn(key, doc["training"])
        self.assertEqual(doc["labels"], data.FASHION_MNIST_LABELS)
        self.assertEqual(doc["test_images"], 200)
        self.assertEqual(doc["training"]["seed"], 1)
        self.assertTrue(0 <= doc["float_test_accuracy"] <= 1)


class ErrorTest(unittest.TestCase):
    """User errors: one line on stderr, exit code 2, no traceback (unless --debug)."""

    def assert_clean_error(self, result, *fragments):
        self.assertEqual(result.returncode, 2, result.stderr)
        lines = result.stderr.strip().splitlines()
        self.assertEqual(len(lines), 1, result.stderr)
        self.assertTrue(lines[0].startswith("train.py: error: "), lines[0])
        for fragment in fragments:
            self.assertIn(fragment, lines[0])

    def test_missing_fashion_mnist(self):
        with tempfile.TemporaryDirectory() as tmp:
            r = run_cli("--dataset", "fashion-mnist", "--out", os.path.join(tmp, "m"),
                        env={"EDGEQ_FASHION_MNIST_DIR": os.path.join(tmp, "nowhere")})
            self.assert_clean_error(r, "missing", "train-images-idx3-ubyte.gz", "dataset-fashion-mnist")

    def test_missing_idx_file_and_debug_traceback(self):
        with tempfile.TemporaryDirectory() as tmp:
            missing = os.path.join(tmp, "nope.gz")
            r = run_cli("--dataset", f"idx:{missing},{missing}", "--out", os.path.join(tmp, "m"))
            self.assert_clean_error(r, "dataset file not found", missing)
            r = run_cli("--dataset", f"idx:{missing},{missing}", "--out", os.path.join(tmp, "m"), "--debug")
            self.assertNotEqual(r.returncode, 0)
            self.assertIn("Traceback", r.stderr)

    def test_empty_class_folder(self):
        with tempfile.TemporaryDirectory() as tmp:
            make_shapes_folder(os.path.join(tmp, "d"), classes=("circle", "square"), per_class=2)
            os.makedirs(os.path.join(tmp, "d", "empty"))
            r = run_cli("--dataset", f"folder:{tmp}/d", "--out", os.path.join(tmp, "m"))
            self.assert_clean_error(r, "empty class folder", os.path.join(tmp, "d", "empty"))

    def test_unreadable_image(self):
        with tempfile.TemporaryDirectory() as tmp:
            make_shapes_folder(os.path.join(tmp, "d"), classes=("circle", "square"), per_class=2)
            bad = os.path.join(tmp, "d", "square", "broken.png")
            with open(bad, "wb") as f:
                f.write(b"\x89PNG\r\n\x1a\n this is not a png")
            r = run_cli("--dataset", f"folder:{tmp}/d", "--out", os.path.join(tmp, "m"))
            self.assert_clean_error(r, "cannot read image", bad)

    def test_unknown_arch_and_dataset(self):
        with tempfile.TemporaryDirectory() as tmp:
            r = run_cli("--dataset", "fashion-mnist", "--arch", "vgg99", "--out", os.path.join(tmp, "m"))
            self.assert_clean_error(r, "unknown --arch 'vgg99'", "seedcnn")
            r = run_cli("--dataset", "cifar", "--out", os.path.join(tmp, "m"))
            self.assert_clean_error(r, "unknown dataset 'cifar'")


if __name__ == "__main__":
    unittest.main()
