#!/usr/bin/env python3
"""Regenerates the Fashion-MNIST sample bundled in the jar (src/main/resources/org/cnn4j/data/fashion-mnist).

Takes the first images of each class, in file order, from the official training and test sets
(Debian package dataset-fashion-mnist, /usr/share/datasets/fashion-mnist) so both halves are
class-balanced, and writes them as gzipped IDX files like the originals. The counts keep the four
files together under 2 MB.

    python3 tools/make_fmnist_sample.py [SOURCE_DIR]
"""
import gzip
import struct
import sys
from pathlib import Path

TRAIN_PER_CLASS = 340
TEST_PER_CLASS = 100
SOURCE = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist")
TARGET = Path(__file__).resolve().parent.parent / "src/main/resources/org/cnn4j/data/fashion-mnist"


def balanced(images, labels, per_class):
    count, picked = [0] * 10, []
    for i, c in enumerate(labels[8:]):
        if count[c] < per_class:
            count[c] += 1
            picked.append(i)
    return picked


def write(name, data):
    with open(TARGET / name, "wb") as f:
        f.write(gzip.compress(data, 9, mtime=0))


for split, per_class in (("train", TRAIN_PER_CLASS), ("t10k", TEST_PER_CLASS)):
    images = gzip.open(SOURCE / f"{split}-images-idx3-ubyte.gz").read()
    labels = gzip.open(SOURCE / f"{split}-labels-idx1-ubyte.gz").read()
    picked = balanced(images, labels, per_class)
    n = len(picked)
    write(f"{split}-images-idx3-ubyte.gz",
          struct.pack(">IIII", 2051, n, 28, 28) + b"".join(images[16 + i * 784:16 + (i + 1) * 784] for i in picked))
    write(f"{split}-labels-idx1-ubyte.gz", struct.pack(">II", 2049, n) + bytes(labels[8 + i] for i in picked))
    print(f"{split}: {n} images")
