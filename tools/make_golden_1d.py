#!/usr/bin/env python3
"""Writes the 1-D golden cases (src/test/resources/golden/torch1d) in the format of fixtures/FORMAT.md.

Op kinds conv1d_forward, conv1d_backward, maxpool1d, avgpool1d, global_avgpool1d, batchnorm1d_train and
batchnorm1d_eval, on signals [N, C, L] with convolution weights [K, C/groups, k]. Like the 2-D fixtures, the
inputs are rounded to float32, the reference is computed by torch in float64 and rounded to float32, and
output_stats gives torch's own float32 error as a yardstick for tolerances. A conv1d case with "causal": true
pads (k-1)*dilation on the left and nothing on the right (its "padding" is then 0). Needs torch (Debian's
python3-torch, 1.13).

    python3 tools/make_golden_1d.py [TARGET_DIR]
"""
import json
import sys
from pathlib import Path

import torch
import torch.nn.functional as F

TARGET = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "src/test/resources/golden/torch1d")
gen = torch.Generator().manual_seed(20261203)


def rand(*shape):
    return (torch.rand(*shape, generator=gen, dtype=torch.float64) * 2 - 1).float().double()


def leaf(t, dtype):
    return t.detach().clone().to(dtype).requires_grad_()


def conv(case, x, w, b):
    pad = case["padding"]
    if case["causal"]:
        x = F.pad(x, ((case["kernel"] - 1) * case["dilation"], 0))
        pad = 0
    return F.conv1d(x, w, b, case["stride"], pad, case["dilation"], case["groups"])


def run_conv(case, inputs, dtype):
    x, w = leaf(inputs["input"], dtype), leaf(inputs["weight"], dtype)
    b = leaf(inputs["bias"], dtype) if case["bias"] else None
    y = conv(case, x, w, b)
    out = {"output": y}
    if case["op"] == "conv1d_backward":
        (y * inputs["grad_output"].to(dtype)).sum().backward()
        out.update(grad_input=x.grad, grad_weight=w.grad)
        if b is not None:
            out["grad_bias"] = b.grad
    return out


def run_pool(case, inputs, dtype):
    x = leaf(inputs["input"], dtype)
    if case["op"] == "maxpool1d":
        y = F.max_pool1d(x, case["kernel"], case["stride"], case["padding"], ceil_mode=case["ceil_mode"])
    elif case["op"] == "avgpool1d":
        y = F.avg_pool1d(x, case["kernel"], case["stride"], case["padding"], ceil_mode=case["ceil_mode"],
                         count_include_pad=case["count_include_pad"])
    else:
        y = x.mean(dim=2, keepdim=True)
    (y * inputs["grad_output"].to(dtype)).sum().backward()
    return {"output": y, "grad_input": x.grad}


def run_bn(case, inputs, dtype):
    x = leaf(inputs["input"], dtype)
    gamma, beta = leaf(inputs["gamma"], dtype), leaf(inputs["beta"], dtype)
    rm, rv = inputs["running_mean"].to(dtype).clone(), inputs["running_var"].to(dtype).clone()
    train = case["op"] == "batchnorm1d_train"
    y = F.batch_norm(x, rm, rv, gamma, beta, train, case.get("momentum", 0.1), case["eps"])
    (y * inputs["grad_output"].to(dtype)).sum().backward()
    out = {"output": y}
    if train:
        out.update(batch_mean=x.mean(dim=(0, 2)), batch_var=x.var(dim=(0, 2), unbiased=False), running_mean_out=rm, running_var_out=rv)
    out.update(grad_input=x.grad, grad_gamma=gamma.grad, grad_beta=beta.grad)
    return out


def conv_case(name, op, n, c, length, k, kernel, stride=1, padding=0, dilation=1, groups=1, bias=True, causal=False):
    case = {"op": op, "N": n, "C": c, "L": length, "K": k, "kernel": kernel, "stride": stride, "padding": padding,
            "dilation": dilation, "groups": groups, "bias": bias, "causal": causal,
            "semantics": "cross-correlation, zero padding, like torch.nn.functional.conv1d; causal pads (kernel-1)*dilation on the left only"}
    inputs = {"input": rand(n, c, length), "weight": rand(k, c // groups, kernel)}
    if bias:
        inputs["bias"] = rand(k)
    if op == "conv1d_backward":
        out_len = conv(case, inputs["input"], inputs["weight"], None).shape[2]
        inputs["grad_output"] = rand(n, k, out_len)
    return name, case, inputs, run_conv


def pool_case(name, op, n, c, length, kernel=None, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    case = {"op": op, "N": n, "C": c, "L": length}
    if op != "global_avgpool1d":
        case.update(kernel=kernel, stride=stride, padding=padding, ceil_mode=ceil_mode)
        if op == "avgpool1d":
            case["count_include_pad"] = count_include_pad
    inputs = {"input": rand(n, c, length)}
    y = (F.max_pool1d(inputs["input"], kernel, stride, padding, ceil_mode=ceil_mode) if op == "maxpool1d"
         else F.avg_pool1d(inputs["input"], kernel, stride, padding, ceil_mode, count_include_pad) if op == "avgpool1d"
         else inputs["input"].mean(dim=2, keepdim=True))
    inputs["grad_output"] = rand(*y.shape)
    return name, case, inputs, run_pool


def bn_case(name, op, n, c, length, eps=1e-5, momentum=0.1):
    case = {"op": op, "N": n, "C": c, "L": length, "eps": eps}
    if op == "batchnorm1d_train":
        case["momentum"] = momentum
    inputs = {"input": rand(n, c, length) * 3 + 0.5, "gamma": rand(c) + 1, "beta": rand(c), "running_mean": rand(c) * 0.2,
              "running_var": rand(c) * 0.4 + 1, "grad_output": rand(n, c, length)}
    return name, case, inputs, run_bn


CASES = [
    conv_case("conv1d_fwd_n2_c3_k4_k3_p1_l9", "conv1d_forward", 2, 3, 9, 4, 3, padding=1),
    conv_case("conv1d_fwd_stem_k80_s16_l500", "conv1d_forward", 1, 1, 500, 8, 80, stride=16),
    conv_case("conv1d_fwd_l1_k1", "conv1d_forward", 2, 5, 1, 3, 1),
    conv_case("conv1d_fwd_causal_d2_g2_c4_k6", "conv1d_forward", 2, 4, 13, 6, 3, dilation=2, groups=2, causal=True),
    conv_case("conv1d_fwd_stride5_k2_nobias", "conv1d_forward", 1, 17, 23, 5, 2, stride=5, bias=False),
    conv_case("conv1d_bwd_n2_c3_k5_k3_p1_l11", "conv1d_backward", 2, 3, 11, 5, 3, padding=1),
    conv_case("conv1d_bwd_depthwise_c16_k5_p2", "conv1d_backward", 2, 16, 15, 16, 5, padding=2, groups=16),
    conv_case("conv1d_bwd_causal_d3_s2", "conv1d_backward", 3, 5, 17, 7, 4, stride=2, dilation=3, causal=True),
    pool_case("maxpool1d_k4_s4_l31", "maxpool1d", 2, 3, 31, 4, 4),
    pool_case("maxpool1d_k3_s2_p1_ceil_l10", "maxpool1d", 1, 5, 10, 3, 2, 1, ceil_mode=True),
    pool_case("avgpool1d_k3_s2_p1_l9", "avgpool1d", 2, 3, 9, 3, 2, 1),
    pool_case("avgpool1d_k4_s3_p2_ceil_nopad_l11", "avgpool1d", 1, 4, 11, 4, 3, 2, ceil_mode=True, count_include_pad=False),
    pool_case("avgpool1d_k2_s5_l12", "avgpool1d", 2, 2, 12, 2, 5),
    pool_case("global_avgpool1d_n2_c5_l13", "global_avgpool1d", 2, 5, 13),
    bn_case("batchnorm1d_train_n3_c4_l7", "batchnorm1d_train", 3, 4, 7),
    bn_case("batchnorm1d_train_n1_c17_l50", "batchnorm1d_train", 1, 17, 50, momentum=0.2),
    bn_case("batchnorm1d_eval_n2_c5_l6", "batchnorm1d_eval", 2, 5, 6, eps=1e-3),
]


def write(t, path):
    path.write_bytes(t.detach().to(torch.float32).contiguous().numpy().astype("<f4").tobytes())


def main():
    TARGET.mkdir(parents=True, exist_ok=True)
    index = []
    for name, case, inputs, run in CASES:
        folder = TARGET / name
        folder.mkdir(exist_ok=True)
        ref, f32 = run(case, inputs, torch.float64), run(case, inputs, torch.float32)
        case["inputs"] = {k: list(v.shape) for k, v in inputs.items()}
        case["outputs"] = {k: list(v.shape) for k, v in ref.items()}
        case["output_stats"] = {k: {"max_abs_ref": float(v.abs().max()), "torch_f32_max_abs_err": float((f32[k].double() - v).abs().max())}
                                for k, v in ref.items()}
        case["reference"] = f"torch {torch.__version__} float64 on the float32-rounded inputs; outputs rounded to float32"
        for k, v in list(inputs.items()) + list(ref.items()):
            write(v, folder / (k + ".f32"))
        (folder / "case.json").write_text(json.dumps(case, indent=1) + "\n")
        index.append({"case": name, "op": case["op"]})
    (TARGET / "index.json").write_text(json.dumps(index, indent=1) + "\n")


if __name__ == "__main__":
    main()
