"""Does cnn4j train as PyTorch does? Both start fmnist-cnn from the same weights (PyTorch's NETS.md
initialisation, exported) and take the same Adam steps (lr 1e-3) on the same shuffled batches of 128
Fashion-MNIST images (469 steps are one epoch, the last batch of 96); the script prints the two loss
curves side by side and the test loss and accuracy each reaches, with PyTorch on one thread as the
yardstick: float32 summation order alone makes two PyTorch runs drift apart once training amplifies
it, so cnn4j is as close as it can be when it stays within that drift.

    ./cnn4j info >/dev/null   # builds target/cnn4j.jar once
    python3 benchmarks/trajectory_check.py --steps 50 --seed 1
    python3 benchmarks/trajectory_check.py --steps 469 --seed 1
    python3 benchmarks/trajectory_check.py --steps 50 --seed 2 --no-winograd
    python3 benchmarks/trajectory_check.py --epochs 5 --seed 1    # PyTorch on two threads only

With --epochs E both train E whole epochs (E permutations, drawn as pytorch_train_fmnist.py draws them, so
PyTorch's side is that script's run for the same seed) and only the test results and every 100th loss are
printed.

The cnn4j side is benchmarks/TrajectoryCheck.java, run from source against target/cnn4j.jar.
"""
import argparse
import os
import subprocess
import sys
import tempfile

import numpy as np

import pytorch_bench
from pytorch_train_fmnist import idx

# fmnist_cnn's nn.Sequential index -> cnn4j's layer name
LAYERS = {0: "conv1", 1: "bn1", 3: "conv2", 4: "bn2", 7: "conv3", 8: "bn3", 10: "conv4", 11: "bn4", 15: "fc1", 17: "fc2"}


def pytorch_losses(a, threads, out_dir):
    """Builds the net with seed a.seed, exports its weights and batch order (a.epochs permutations) to
    out_dir, trains a.steps steps; returns their losses and the test loss and accuracy in eval mode."""
    import torch
    import torch.nn as nn
    torch.set_num_threads(threads)
    torch.manual_seed(a.seed)
    pixels = idx(f"{a.data}/train-images-idx3-ubyte.gz") / 255.0
    x = torch.from_numpy(((pixels - 0.2860) / 0.3530).astype(np.float32)).unsqueeze(1)
    y = torch.from_numpy(idx(f"{a.data}/train-labels-idx1-ubyte.gz").astype(np.int64))
    model, _, _ = pytorch_bench.build("fmnist-cnn", nn)
    for i, name in LAYERS.items():
        m = model[i]
        tensors = {"gamma": m.weight, "beta": m.bias} if isinstance(m, nn.BatchNorm2d) else {"weight": m.weight, "bias": m.bias}
        for kind, t in tensors.items():
            if t is not None:
                t.detach().numpy().astype("<f4").tofile(os.path.join(out_dir, f"{name}.{kind}.f32"))
    order = torch.cat([torch.randperm(len(y)) for _ in range(a.epochs)])
    order.numpy().astype("<i4").tofile(os.path.join(out_dir, "order.i32"))
    per_epoch = (len(y) + 127) // 128
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    loss_fn = nn.CrossEntropyLoss()
    model.train()
    losses = []
    for s in range(a.steps):
        start = s // per_epoch * len(y) + s % per_epoch * 128
        batch = order[start:min(start + 128, (s // per_epoch + 1) * len(y))]
        opt.zero_grad()
        loss = loss_fn(model(x[batch]), y[batch])
        loss.backward()
        opt.step()
        losses.append(loss.item())
    tx = torch.from_numpy((((idx(f"{a.data}/t10k-images-idx3-ubyte.gz") / 255.0) - 0.2860) / 0.3530).astype(np.float32)).unsqueeze(1)
    ty = torch.from_numpy(idx(f"{a.data}/t10k-labels-idx1-ubyte.gz").astype(np.int64))
    model.eval()
    with torch.no_grad():
        logits = torch.cat([model(tx[b:b + 500]) for b in range(0, len(ty), 500)])
    return losses, loss_fn(logits, ty).item(), (logits.argmax(1) == ty).float().mean().item()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=50)
    ap.add_argument("--epochs", type=int, default=0, help="train this many whole epochs instead of --steps")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--no-winograd", action="store_true", help="keep cnn4j's convolutions on direct algorithms")
    a = ap.parse_args()
    if a.epochs > 0:
        a.steps = 469 * a.epochs
    else:
        a.epochs = 1
        a.steps = min(a.steps, 469)  # one epoch
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    classpath = os.path.join(root, "target", "classpath.txt")
    if not os.path.isfile(classpath):
        sys.exit("trajectory_check: no target/cnn4j.jar yet: run ./cnn4j info once to build it")
    with tempfile.TemporaryDirectory() as d:
        long_run = a.epochs > 1  # PyTorch on one thread too would double a run of many minutes
        if not long_run:
            one_thread, one_thread_test_loss, one_thread_acc = pytorch_losses(a, 1, d)
        reference, test_loss, acc = pytorch_losses(a, 2, d)  # exports the same weights and order again
        if long_run:
            one_thread, one_thread_test_loss, one_thread_acc = [float("nan")] * a.steps, float("nan"), float("nan")
        with open(classpath) as f:
            cp = os.path.join(root, "target", "cnn4j.jar") + os.pathsep + f.read().strip()
        flags = ["-Dcnn4j.conv.winograd=false"] if a.no_winograd else []
        run = subprocess.run(["java", *flags, "-cp", cp, os.path.join(root, "benchmarks", "TrajectoryCheck.java"), d, a.data,
                              str(a.steps)], capture_output=True, text=True, check=True)
        *ours, our_test_loss, our_acc = [float(v) for v in run.stdout.split()]
    print(f"fmnist-cnn, seed {a.seed}, {a.steps} Adam steps from the same weights on the same batches"
          f"{' (cnn4j without Winograd)' if a.no_winograd else ''}")
    print(f"{'step':>5} {'PyTorch 2 threads':>18} {'PyTorch 1 thread':>17} {'cnn4j 2 threads':>16}")
    for s in range(a.steps):
        if (s < 10 or s % 10 == 9) and (a.steps <= 469 or s % 100 == 99):
            print(f"{s + 1:5d} {reference[s]:18.6f} {one_thread[s]:17.6f} {ours[s]:16.6f}")
    for lo, hi in ((0, 5), (5, 20), (20, a.steps)):
        if lo < a.steps:
            hi = min(hi, a.steps)
            print(f"steps {lo + 1}-{hi}: largest loss difference to PyTorch (2 threads): "
                  f"PyTorch 1 thread {max(abs(p - q) for p, q in zip(reference[lo:hi], one_thread[lo:hi])):.2e}, "
                  f"cnn4j {max(abs(p - q) for p, q in zip(reference[lo:hi], ours[lo:hi])):.2e}")
    print(f"test set after {a.steps} steps: PyTorch 2 threads loss {test_loss:.4f} accuracy {100 * acc:.2f}%, "
          f"1 thread {one_thread_test_loss:.4f} {100 * one_thread_acc:.2f}%, cnn4j {our_test_loss:.4f} {100 * our_acc:.2f}%")


if __name__ == "__main__":
    main()
