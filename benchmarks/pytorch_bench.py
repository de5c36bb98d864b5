#!/usr/bin/env python3
"""Debian's PyTorch 1.13 (python3-torch, whose fully-connected layers run on the netlib reference BLAS)
timing a zoo network on this machine; prints one JSON object. `cnn4j bench` no longer calls it (its
peers are ONNX Runtime and PyTorch 2.10, see docs/performance.md); pytorch_train_fmnist.py and
trajectory_check.py build their networks with its build().

    python3 benchmarks/pytorch_bench.py --network fmnist-cnn --mode training --mb 128 --reps 10 --threads 2

Networks: fmnist-cnn and fmnist-resnet as in NETS.md (defined here), resnet18, resnet50 and vgg16
from torchvision when it is installed. Prints {"error": ...} instead when something is missing.
"""
import argparse
import json
import statistics
import sys
import time


def fmnist_cnn(nn):
    def block(i, o):
        return [nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o), nn.ReLU()]
    return nn.Sequential(*block(1, 32), *block(32, 32), nn.MaxPool2d(2), *block(32, 64), *block(64, 64), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(3136, 256), nn.ReLU(), nn.Linear(256, 10))


def fmnist_resnet(nn):
    class Block(nn.Module):
        def __init__(self, i, o, s):
            super().__init__()
            self.c1, self.b1 = nn.Conv2d(i, o, 3, s, 1, bias=False), nn.BatchNorm2d(o)
            self.c2, self.b2 = nn.Conv2d(o, o, 3, 1, 1, bias=False), nn.BatchNorm2d(o)
            self.proj = nn.Sequential(nn.Conv2d(i, o, 1, s, bias=False), nn.BatchNorm2d(o)) if s != 1 or i != o else nn.Identity()

        def forward(self, x):
            y = self.b2(self.c2(self.b1(self.c1(x)).relu()))
            return (y + self.proj(x)).relu()

    layers = [nn.Conv2d(1, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU()]
    i = 16
    for s, w in enumerate((16, 32, 64)):
        for b in range(2):
            layers.append(Block(i, w, 2 if s > 0 and b == 0 else 1))
            i = w
    return nn.Sequential(*layers, nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10))


def nets_md_init(model, nn):
    """NETS.md's initialisation: He (Kaiming) normal, fan-in, for every convolution; linear layers and
    batch norm keep PyTorch's defaults (uniform fan-in; gamma 1, beta 0), as cnn4j's zoo does."""
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_in", nonlinearity="relu")
    return model


def build(name, nn):
    if name == "fmnist-cnn":
        return nets_md_init(fmnist_cnn(nn), nn), (1, 28, 28), 10
    if name == "fmnist-resnet":
        return nets_md_init(fmnist_resnet(nn), nn), (1, 28, 28), 10
    import torchvision.models as tvm  # ImportError when torchvision is missing
    return {"resnet18": tvm.resnet18, "resnet50": tvm.resnet50, "vgg16": tvm.vgg16}[name](), (3, 224, 224), 1000


WARM_UP_S = 1.0  # as cnn4j's side: at least two calls and this long before the timed ones


def timed(fn, reps):
    start, calls = time.perf_counter(), 0
    while calls < 2 or time.perf_counter() - start < WARM_UP_S:
        fn()
        calls += 1
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--network", required=True)
    ap.add_argument("--mode", choices=("inference", "training"), default="inference")
    ap.add_argument("--mb", type=int, default=16)
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    try:
        import torch
        import torch.nn as nn
        torch.set_num_threads(a.threads)
        model, shape, classes = build(a.network, nn)
    except (ImportError, KeyError) as e:
        print(json.dumps({"error": f"{type(e).__name__}: {e}"}))
        return
    out = {"torch": torch.__version__, "threads": torch.get_num_threads()}
    if a.mode == "inference":
        model.eval()
        with torch.no_grad():
            x1 = torch.randn(1, *shape)
            out["latency_ms"] = timed(lambda: model(x1), a.reps)
            xb = torch.randn(a.mb, *shape)
            out["throughput"] = a.mb / timed(lambda: model(xb), max(3, a.reps // 2)) * 1000
    else:
        model.train()
        opt = torch.optim.Adam(model.parameters(), 1e-3)
        x = torch.randn(a.mb, *shape)
        y = torch.randint(0, classes, (a.mb,))
        loss_fn = nn.CrossEntropyLoss()

        def step():
            opt.zero_grad()
            loss_fn(model(x), y).backward()
            opt.step()
        out["step_ms"] = timed(step, a.reps)
    print(json.dumps(out))


if __name__ == "__main__":
    sys.exit(main())
