#!/usr/bin/env python3
"""PyTorch's side of the training comparison on real data: trains NETS.md's fmnist-cnn (or
fmnist-resnet) with NETS.md's recipe (Adam 1e-3, batch 128, 2 threads) on Debian's Fashion-MNIST, to set
beside `cnn4j train --data` on the same machine. With --images N, times N shuffled images and prints
images/s and the implied seconds per 60,000-image epoch; with --epochs E, trains E whole epochs and
prints the test accuracy.

    python3 benchmarks/pytorch_train_fmnist.py --network fmnist-cnn --images 12800
    python3 benchmarks/pytorch_train_fmnist.py --network fmnist-cnn --epochs 5 --seed 1
"""
import argparse
import gzip
import time

import numpy as np

import pytorch_bench


def idx(path):
    with gzip.open(path) as f:
        data = f.read()
    dims = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(data[3])]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * len(dims)).reshape(dims)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--network", default="fmnist-cnn", choices=("fmnist-cnn", "fmnist-resnet"))
    ap.add_argument("--images", type=int, default=12800)
    ap.add_argument("--epochs", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    a = ap.parse_args()
    import torch
    import torch.nn as nn
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)

    def split(name):
        pixels = idx(f"{a.data}/{name}-images-idx3-ubyte.gz") / 255.0
        x = torch.from_numpy(((pixels - 0.2860) / 0.3530).astype(np.float32)).unsqueeze(1)
        return x, torch.from_numpy(idx(f"{a.data}/{name}-labels-idx1-ubyte.gz").astype(np.int64))

    x, y = split("train")
    model, _, _ = pytorch_bench.build(a.network, nn)
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def train(order):
        model.train()
        for b in range(0, len(order), 128):
            batch = order[b:b + 128]
            opt.zero_grad()
            loss_fn(model(x[batch]), y[batch]).backward()
            opt.step()

    if a.epochs > 0:
        for _ in range(a.epochs):
            train(torch.randperm(len(y)))
        tx, ty = split("t10k")
        model.eval()
        with torch.no_grad():
            correct = sum((model(tx[b:b + 500]).argmax(1) == ty[b:b + 500]).sum().item() for b in range(0, len(ty), 500))
        print(f"pytorch {torch.__version__}, {a.network}, seed {a.seed}: test accuracy {100 * correct / len(ty):.2f}% after {a.epochs} epochs")
        return
    start = time.time()
    train(torch.randperm(len(y))[:a.images])
    seconds = time.time() - start
    print(f"pytorch {torch.__version__}, {a.network}, {torch.get_num_threads()} threads: {a.images} images in {seconds:.1f} s, "
          f"{a.images / seconds:.0f} images/s, {60000 * seconds / a.images:.0f} s per epoch")

if __name__ == "__main__":
    main()
