#!/usr/bin/env python3
"""A PyTorch-trained model for cnn4j's fine-tuning check (docs/onnx.md, "Fine-tuning an imported model").

Trains NETS.md's fmnist-resnet (tools/export_onnx.py's FmnistResNet) in PyTorch on Fashion-MNIST's
training split, exports it to ONNX, and writes an image folder of the same ten classes from another
"camera" the model never saw: blurred, at 70% of the contrast, noisy and shifted by up to 3 pixels. train/ has a few images per class, test/ 100 per class from the test split. Seeded; needs
Debian's python3-torch, python3-torchvision, python3-onnx and dataset-fashion-mnist.

    python3 tools/pytorch_transfer.py --out /tmp/transfer [--per-class 20] [--epochs 2]
"""
import argparse
import gzip
import os
import sys

import numpy
import torch
import torch.nn.functional as F
import torchvision

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from export_onnx import FmnistResNet  # noqa: E402  (NETS.md's definition, shared with the test exports)

DATA = "/usr/share/datasets/fashion-mnist"
NAMES = ["tshirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker", "bag", "boot"]
MEAN, STD = 0.2860, 0.3530  # cnn4j's Fashion-MNIST normalisation, given to `cnn4j import --mean --std`


def idx(name):
    with gzip.open(os.path.join(DATA, name)) as f:
        data = f.read()
    if data[2] == 8 and data[3] == 3:
        return numpy.frombuffer(data, numpy.uint8, offset=16).reshape(-1, 28, 28)
    return numpy.frombuffer(data, numpy.uint8, offset=8)


def pretrain(images, labels, epochs, out):
    torch.manual_seed(1)
    torch.set_num_threads(2)
    net = FmnistResNet(classes=10)
    opt = torch.optim.Adam(net.parameters(), 1e-3)
    x = (torch.from_numpy(images.copy()).float().unsqueeze(1) / 255 - MEAN) / STD
    y = torch.from_numpy(labels.astype(numpy.int64))
    for epoch in range(epochs):
        net.train()
        order = torch.randperm(len(x))
        correct = 0
        for i in range(0, len(x), 128):
            b = order[i:i + 128]
            logits = net(x[b])
            loss = F.cross_entropy(logits, y[b])
            opt.zero_grad()
            loss.backward()
            opt.step()
            correct += (logits.argmax(1) == y[b]).sum().item()
        print(f"pretraining epoch {epoch + 1}: train accuracy {correct / len(x):.4f}")
    net.eval()
    torch.onnx.export(net, torch.zeros(1, 1, 28, 28), out, opset_version=13, input_names=["input"],
                      output_names=["logits"], dynamic_axes={"input": {0: "batch"}, "logits": {0: "batch"}})
    print(f"wrote {out}")


def other_camera(image, rng):
    """Blurred (3x3 box), at 70% of the contrast, noisy, shifted by up to 3 pixels each way."""
    x = image.astype(numpy.float32)
    padded = numpy.pad(x, 1, mode="edge")
    blurred = sum(padded[i:i + 28, j:j + 28] for i in range(3) for j in range(3)) / 9
    grey = 0.7 * blurred
    dy, dx = rng.integers(-3, 4, size=2)
    out = numpy.zeros_like(grey)
    ys, xs = slice(max(dy, 0), 28 + min(dy, 0)), slice(max(dx, 0), 28 + min(dx, 0))
    yd, xd = slice(max(-dy, 0), 28 + min(-dy, 0)), slice(max(-dx, 0), 28 + min(-dx, 0))
    out[ys, xs] = grey[yd, xd]
    return numpy.clip(out + rng.normal(0, 12, out.shape), 0, 255).astype(numpy.uint8)


def folder(images, labels, per_class, root, split, seed):
    rng = numpy.random.default_rng(seed)
    for c in range(10):
        d = os.path.join(root, split, NAMES[c])
        os.makedirs(d, exist_ok=True)
        for k, i in enumerate(numpy.flatnonzero(labels == c)[:per_class]):
            png = torch.from_numpy(other_camera(images[i], rng)).unsqueeze(0)
            torchvision.io.write_png(png, os.path.join(d, f"{k:04d}.png"))


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", default="/tmp/transfer")
    p.add_argument("--per-class", type=int, default=20, help="training images per class (default 20)")
    p.add_argument("--epochs", type=int, default=2, help="pretraining epochs (default 2)")
    p.add_argument("--retrain", action="store_true", help="pretrain again even when OUT has the ONNX file")
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    train_x, train_y = idx("train-images-idx3-ubyte.gz"), idx("train-labels-idx1-ubyte.gz")
    test_x, test_y = idx("t10k-images-idx3-ubyte.gz"), idx("t10k-labels-idx1-ubyte.gz")
    if not os.path.exists(os.path.join(a.out, "fmnist-resnet.onnx")) or a.retrain:
        pretrain(train_x, train_y, a.epochs, os.path.join(a.out, "fmnist-resnet.onnx"))
    # the folder's training images come from the end of the training split, which pretraining also saw, but
    # never in this camera's form; its test images from the test split
    folder(train_x[::-1], train_y[::-1], a.per_class, os.path.join(a.out, "folder"), "train", 2)
    folder(test_x, test_y, 100, os.path.join(a.out, "folder"), "test", 3)
    print(f"wrote {os.path.join(a.out, 'folder')}: {a.per_class} training and 100 test images per class from the other camera")


if __name__ == "__main__":
    main()
