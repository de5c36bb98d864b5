#!/usr/bin/env python3
"""PyTorch's side of the training-speed comparison on real data: trains NETS.md's fmnist-cnn (or
fmnist-resnet) with NETS.md's recipe (Adam 1e-3, batch 128, 2 threads) on the first N shuffled images of
Debian's Fashion-MNIST and prints images/s and the implied seconds per 60,000-image epoch, to set
beside `cnn4j train --data` on the same machine.

    python3 benchmarks/pytorch_train_fmnist.py --network fmnist-cnn --images 12800
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
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    a = ap.parse_args()
    import torch
    import torch.nn as nn
    torch.set_num_threads(a.threads)
    torch.manual_seed(1)
    pixels = idx(f"{a.data}/train-images-idx3-ubyte.gz") / 255.0
    x = torch.from_numpy(((pixels - 0.2860) / 0.3530).astype(np.float32)).unsqueeze(1)
    y = torch.from_numpy(idx(f"{a.data}/train-labels-idx1-ubyte.gz").astype(np.int64))
    model, _, _ = pytorch_bench.build(a.network, nn)
    model.train()
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    loss_fn = nn.CrossEntropyLoss()
    order = torch.randperm(len(y))[:a.images]
    start = time.time()
    for b in range(0, a.images, 128):
        batch = order[b:b + 128]
        opt.zero_grad()
        loss_fn(model(x[batch]), y[batch]).backward()
        opt.step()
    seconds = time.time() - start
    print(f"pytorch {torch.__version__}, {a.network}, {torch.get_num_threads()} threads: {a.images} images in {seconds:.1f} s, "
          f"{a.images / seconds:.0f} images/s, {60000 * seconds / a.images:.0f} s per epoch")


if __name__ == "__main__":
    main()
