#!/usr/bin/env python3
"""Exports the small, real ONNX models that cnn4j's ONNX importer tests load and compare against
ONNX Runtime (src/test/resources/onnx/).

The .onnx files are committed, so neither CI nor a developer needs Python, PyTorch or this script to
run the tests; it exists only so that the files can be regenerated (or extended) deterministically:

    python3 tools/export_onnx.py                 # writes src/test/resources/onnx/*.onnx
    python3 tools/export_onnx.py --out DIR       # writes them to DIR instead
    python3 tools/export_onnx.py --full          # full-size torchvision models at 3x224x224 into
                                                 # DIR (default /tmp/onnx-full); NOT test resources

It needs Debian's python3-torch (1.13), python3-torchvision (0.14) and python3-onnx (1.12), and no
network: every model uses seeded random weights (torchvision weights=None, nothing is downloaded).
Rerunning with the same packages gives the same weights (each model calls torch.manual_seed with its
own fixed seed before it is built).

How every model is exported
  * model.eval(), torch.onnx.export(..., input_names=['input'], output_names=['output'],
    dynamic_axes={'input': {0: 'batch'}, 'output': {0: 'batch'}}, do_constant_folding=True), opset 13
    unless the table says otherwise, then onnx.checker.check_model on the written file.
  * Every BatchNorm gets non-trivial statistics and affine parameters before export (running_mean =
    randn*0.1, running_var = rand+0.5, weight = 1+randn*0.1, bias = randn*0.1, from the model's seed),
    so that importing BN is really tested and is not the identity.
  * training=TrainingMode.PRESERVE (with the model in eval mode): with the default TrainingMode.EVAL,
    torch 1.13 runs its "eval peephole" pass which folds every BatchNorm into the preceding Conv, and
    no BatchNormalization node would be left in the graph. PRESERVE on an eval-mode model skips that
    pass but still exports inference-mode BatchNormalization (and drops Dropout), so BN stays a node.
  * The script prints one line per file: name, opset, sorted set of node op_types, size in KB.

The files (input shapes without the dynamic batch dimension; NCHW unless said)
  fmnist-cnn.onnx            1x28x28. The Fashion-MNIST VGG-style CNN: 4 x (conv3x3 no-bias + BN +
                             ReLU) with widths 32,32,64,64, max pool 2x2 after each pair, flatten,
                             linear 3136->256 + ReLU, linear 256->10.
  fmnist-resnet.onnx         1x28x28. Small ResNet: stem conv+BN+ReLU (16), three stages of two basic
                             blocks (16, 32, 64; stride-2 first block with 1x1 conv+BN projection
                             shortcut in stages 2 and 3), GlobalAveragePool, flatten, linear 64->10.
  squeezenet1_1.onnx         3x64x64. torchvision squeezenet1_1(num_classes=10): MaxPool with
                             ceil_mode, Concat of the Fire expand branches, Dropout (gone in eval),
                             AdaptiveAvgPool -> GlobalAveragePool.
  mobilenet_v2_025.onnx      3x64x64. torchvision mobilenet_v2(width_mult=0.25, num_classes=10):
                             ReLU6 as Clip, depthwise Conv (group), residual Add, Gemm.
  nhwc_keras_style.onnx      28x28x1 (NHWC graph input as Keras/tf2onnx exports have): Transpose to
                             NCHW, conv+ReLU, max pool, strided conv+ReLU, ReduceMean over H,W
                             (keepdims 0), Gemm, Softmax.
  op_shufflenet_blocks.onnx  3x12x12. conv, then torchvision's ShuffleNetV2 units 8->16 stride 2 and
                             16->16 stride 1: channel split (Slice), Concat, channel shuffle
                             (Reshape, Transpose, Reshape).
  op_mobilenet_v3_blocks.onnx 3x12x12. conv + hardswish, then torchvision's MobileNetV3 units with
                             squeeze-excite (hardsigmoid gate), hardswish and a residual Add.
  nhwc_keras_flatten.onnx    8x6x2 (NHWC). Transpose to NCHW, conv+ReLU, Transpose back to NHWC and
                             Flatten (Keras' Flatten order), Gemm, Softmax.
  op_conv_variants.onnx      4x10x10. Channel Concat of: conv 3x3 dilation 2 pad 2; conv 1x1; grouped
                             conv (groups 2); depthwise conv groups 4 with channel multiplier 2
                             (4->8); rectangular 3x1 kernel with padding (1,0). All keep 10x10.
  op_conv_strided.onnx       4x10x10. conv 5x5 stride 2 pad 2 no bias (the strided branch that can't
                             be concatenated with the 10x10 ones), followed by a conv 3x3 with
                             unequal strides (2,1) and unequal pads (0,1) [added: tests per-axis
                             stride/pad].
  op_conv_asymmetric_pad.onnx  4x9x9. F.pad(x, (0,1,0,1)) then conv 3x3 stride 2 pad 0: torch
                             exports a constant-mode Pad node with asymmetric pads, then the Conv.
  op_pools.onnx              4x13x13. Chain: MaxPool 3/2 pad 1 -> AveragePool 3/1 pad 1
                             count_include_pad=0 -> AveragePool 2/2 ceil_mode=1 count_include_pad=1
                             -> MaxPool 2/1. [changed: input 13x13 instead of 11x11, because with
                             11x11 the ceil_mode pool would see an even 6x6 input and ceil_mode
                             would change nothing; with 13x13 it sees 7x7 and makes a 4x4 output
                             whose last window hangs over the edge.]
  op_activations.onnx        6x5x5. y = leaky_relu(4*x, 0.2); Concat on channels of hardsigmoid(y),
                             hardswish(y), sigmoid(y), tanh(y), relu6(y). [added: the factor 4 so
                             that inputs ~N(0,1) also reach the saturated parts (|y|>3, y>6).]
  op_broadcast.onnx          8x6x6. Squeeze-excite: GlobalAveragePool, conv1x1 8->2 + ReLU, conv1x1
                             2->8, Sigmoid; x*s (Mul broadcast [N,8,1,1] x [N,8,6,6]); + learned
                             [1,8,1,1] bias (Add with an initializer); - 0.5; / 2.0 (scalar consts).
  op_gemm_matmul.onnx        12. linear 12->7 (Gemm transB=1), matmul with a [7,5] parameter + bias
                             (MatMul + Add), Softmax axis 1.
  op_reshape_shape_chain.onnx  4x6x6. conv 1x1, x.view(x.size(0), -1), linear 144->3; exported with
                             do_constant_folding=False so the Shape->Gather->Unsqueeze->Concat->
                             Reshape chain stays in the graph (the script checks Shape and Gather).
  op_transpose_squeeze.onnx  3x4x5. permute(0,2,3,1), ReLU, permute(0,3,1,2), unsqueeze(1),
                             squeeze(1), flatten. [added: the ReLU between the two permutes; without
                             it torch's peephole pass fuses the two Transposes into an identity and
                             removes both, leaving no Transpose to test.]
  op_convtranspose.onnx      4x5x5. ConvTranspose2d(4->3, 3, stride 2, padding 1, output_padding 1).
  op_signal_1d.onnx          1x400 ([N, C, L]: rank-3 Conv, BatchNormalization, MaxPool and AveragePool).
                             Conv1d 1->8 k20 stride 4 + BN + ReLU, MaxPool1d 4, Conv1d 8->16 k3 pad 1 no
                             bias + BN + ReLU, Conv1d 16->16 k3 pad 2 dilation 2 groups 2 + ReLU,
                             AvgPool1d 2, AdaptiveAvgPool1d(1) (GlobalAveragePool), Flatten, linear 16->5.
  op_opset9.onnx             1x28x28. Small fmnist-like net (conv+BN+ReLU, max pool, flatten, linear)
                             exported with opset 9 (the lowest the importer accepts: MaxPool without
                             ceil_mode, BatchNormalization without training_mode).
  op_opset17.onnx            The same net, same weights, exported with opset 17 (the highest torch
                             1.13 supports, so the file really is opset 17).

What torch 1.13 exports (worth knowing when a test fails)
  * hardswish at opset 13 is x * HardSigmoid(x) (alpha 1/6; ONNX HardSwish only exists from opset
    14); hardsigmoid is HardSigmoid(alpha=1/6, beta=0.5).
  * relu6 / clamp(0, 6) is Relu followed by Clip with min/max as Constant-node inputs (opset >= 11).
  * x.view(x.size(0), -1) is Shape -> Gather -> Unsqueeze -> Concat -> Reshape when constant folding
    is off; x.mean(dim=(2, 3)) is ReduceMean(axes=[2,3], keepdims=0); softmax(dim=1) on [N, C] is a
    single Softmax(axis=1).
  * F.pad (constant_pad_nd) at opset >= 11 computes its pads input with a chain Constant ->
    ConstantOfShape -> Concat -> Reshape -> Slice(step -1) -> Transpose -> Reshape -> Cast that
    constant folding does not remove ("Only steps=1 can be constant folded" for Slice), so
    op_conv_asymmetric_pad.onnx contains it (and its output's H, W are left symbolic by torch's shape
    inference); the pads it computes are [0,0,0,0, 0,0,1,1].
  * avg_pool2d with count_include_pad=True is exported as an explicit Pad (here all-zero pads) in
    front of an AveragePool without pads.
  * Parameters with identical values are deduplicated: squeezenet1_1's conv biases are all zero in
    torchvision's init, so most of them are Identity nodes reading one shared zero initializer.
"""
import argparse
import collections
import os
import sys

import numpy
import onnx
from onnx import numpy_helper
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

DEFAULT_OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir,
                           "src", "test", "resources", "onnx")
DEFAULT_FULL_OUT = "/tmp/onnx-full"
EXPORT_BATCH = 2  # batch size of the dummy input used for tracing; the exported batch is dynamic


def randomize_batchnorm(model):
    """Gives every BatchNorm non-trivial statistics and affine parameters (uses the current seed)."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.modules.batchnorm._BatchNorm):
                n = m.num_features
                m.running_mean.copy_(torch.randn(n) * 0.1)
                m.running_var.copy_(torch.rand(n) + 0.5)
                m.weight.copy_(1 + torch.randn(n) * 0.1)
                m.bias.copy_(torch.randn(n) * 0.1)
    return model


def conv_bn_relu(cin, cout, stride=1):
    return [nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False), nn.BatchNorm2d(cout),
            nn.ReLU(inplace=True)]


# ---------------------------------------------------------------------------------------------
# Real models

class FmnistCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            *conv_bn_relu(1, 32), *conv_bn_relu(32, 32), nn.MaxPool2d(2, 2),
            *conv_bn_relu(32, 64), *conv_bn_relu(64, 64), nn.MaxPool2d(2, 2))
        self.fc1 = nn.Linear(64 * 7 * 7, 256)
        self.fc2 = nn.Linear(256, 10)

    def forward(self, x):
        x = torch.flatten(self.features(x), 1)
        return self.fc2(F.relu(self.fc1(x)))


def fmnist_cnn():
    return FmnistCnn()


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride=stride, bias=False),
                                          nn.BatchNorm2d(cout))
        else:
            self.shortcut = nn.Identity()

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + self.shortcut(x))


class FmnistResNet(nn.Module):
    def __init__(self, widths=(16, 32, 64), blocks=2, classes=10):
        super().__init__()
        self.stem = nn.Sequential(*conv_bn_relu(1, widths[0]))
        layers, cin = [], widths[0]
        for i, w in enumerate(widths):
            for b in range(blocks):
                layers.append(BasicBlock(cin, w, 2 if (i > 0 and b == 0) else 1))
                cin = w
        self.stages = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(cin, classes)

    def forward(self, x):
        x = self.pool(self.stages(self.stem(x)))
        return self.fc(torch.flatten(x, 1))


def fmnist_resnet():
    return FmnistResNet()


def squeezenet1_1():
    return torchvision.models.squeezenet1_1(weights=None, num_classes=10)


def mobilenet_v2_025():
    return torchvision.models.mobilenet_v2(weights=None, width_mult=0.25, num_classes=10)


class NhwcKerasStyle(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 8, 3, padding=1)
        self.conv2 = nn.Conv2d(8, 16, 3, stride=2, padding=1)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):  # x: [N, H, W, C]
        x = x.permute(0, 3, 1, 2)
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.relu(self.conv2(x))
        x = x.mean(dim=(2, 3))
        return F.softmax(self.fc(x), dim=1)


def nhwc_keras_style():
    return NhwcKerasStyle()


class NhwcKerasFlatten(nn.Module):
    """Keras' classic CNN as tf2onnx writes it: NHWC in, Flatten of the NHWC feature map before Dense."""
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 4, 3, padding=1)
        self.fc = nn.Linear(8 * 6 * 4, 5)

    def forward(self, x):  # x: [N, H, W, C]
        x = F.relu(self.conv(x.permute(0, 3, 1, 2)))
        return F.softmax(self.fc(x.permute(0, 2, 3, 1).flatten(1)), dim=1)


def nhwc_keras_flatten():
    return NhwcKerasFlatten()


def op_shufflenet_blocks():
    """torchvision's ShuffleNetV2 units: channel split (Slice), branches, Concat, channel shuffle."""
    from torchvision.models.shufflenetv2 import InvertedResidual
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), InvertedResidual(8, 16, 2), InvertedResidual(16, 16, 1))


def op_mobilenet_v3_blocks():
    """torchvision's MobileNetV3 units: hardswish, squeeze-excite gated by hardsigmoid, residual Add."""
    from torchvision.models.mobilenetv3 import InvertedResidual, InvertedResidualConfig
    cfgs = [InvertedResidualConfig(8, 3, 16, 8, True, "HS", 1, 1, 1.0),
            InvertedResidualConfig(8, 5, 24, 16, True, "HS", 2, 1, 1.0)]
    return nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.Hardswish(),
                         *[InvertedResidual(c, nn.BatchNorm2d) for c in cfgs])


# ---------------------------------------------------------------------------------------------
# Synthetic per-operator models

class ConvVariants(nn.Module):
    def __init__(self):
        super().__init__()
        self.branches = nn.ModuleList([
            nn.Conv2d(4, 4, 3, dilation=2, padding=2),      # dilated
            nn.Conv2d(4, 4, 1),                              # pointwise
            nn.Conv2d(4, 6, 3, padding=1, groups=2),         # grouped
            nn.Conv2d(4, 8, 3, padding=1, groups=4),         # depthwise, channel multiplier 2
            nn.Conv2d(4, 4, (3, 1), padding=(1, 0)),         # rectangular kernel
        ])

    def forward(self, x):
        return torch.cat([b(x) for b in self.branches], dim=1)


def op_conv_variants():
    return ConvVariants()


def op_conv_strided():
    return nn.Sequential(nn.Conv2d(4, 6, 5, stride=2, padding=2, bias=False),
                         nn.Conv2d(6, 4, 3, stride=(2, 1), padding=(0, 1)))


class ConvAsymmetricPad(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(4, 5, 3, stride=2, padding=0)

    def forward(self, x):
        return self.conv(F.pad(x, (0, 1, 0, 1)))  # (left, right, top, bottom): pad right/bottom


def op_conv_asymmetric_pad():
    return ConvAsymmetricPad()


def op_pools():
    return nn.Sequential(
        nn.MaxPool2d(3, stride=2, padding=1),
        nn.AvgPool2d(3, stride=1, padding=1, count_include_pad=False),
        nn.AvgPool2d(2, stride=2, ceil_mode=True, count_include_pad=True),
        nn.MaxPool2d(2, stride=1, dilation=1))


class Activations(nn.Module):
    def forward(self, x):
        y = F.leaky_relu(x * 4.0, 0.2)
        return torch.cat([F.hardsigmoid(y), F.hardswish(y), torch.sigmoid(y), torch.tanh(y),
                          F.relu6(y)], dim=1)


def op_activations():
    return Activations()


class Broadcast(nn.Module):
    def __init__(self):
        super().__init__()
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.reduce = nn.Conv2d(8, 2, 1)
        self.expand = nn.Conv2d(2, 8, 1)
        self.bias = nn.Parameter(torch.randn(1, 8, 1, 1) * 0.5)

    def forward(self, x):
        s = torch.sigmoid(self.expand(F.relu(self.reduce(self.pool(x)))))
        y = x * s
        y = y + self.bias
        y = y - 0.5
        return y / 2.0


def op_broadcast():
    return Broadcast()


class GemmMatMul(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(12, 7)
        self.w2 = nn.Parameter(torch.randn(7, 5) * 0.4)
        self.b2 = nn.Parameter(torch.randn(5) * 0.1)

    def forward(self, x):
        x = self.fc(x)
        x = torch.matmul(x, self.w2) + self.b2
        return F.softmax(x, dim=1)


def op_gemm_matmul():
    return GemmMatMul()


class ReshapeShapeChain(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(4, 4, 1)
        self.fc = nn.Linear(4 * 6 * 6, 3)

    def forward(self, x):
        x = self.conv(x)
        x = x.view(x.size(0), -1)
        return self.fc(x)


def op_reshape_shape_chain():
    return ReshapeShapeChain()


class TransposeSqueeze(nn.Module):
    def forward(self, x):
        x = x.permute(0, 2, 3, 1)   # NCHW -> NHWC
        x = F.relu(x)               # keeps torch from fusing the two Transposes away
        x = x.permute(0, 3, 1, 2)   # back to NCHW
        x = x.unsqueeze(1).squeeze(1)
        return torch.flatten(x, 1)


def op_transpose_squeeze():
    return TransposeSqueeze()


def op_convtranspose():
    return nn.ConvTranspose2d(4, 3, 3, stride=2, padding=1, output_padding=1)


def op_global_max_pool():
    """AdaptiveMaxPool2d(1) on a non-square image, which torch 1.13 exports as a MaxPool over the whole image."""
    return nn.Sequential(nn.Conv2d(4, 6, 3, padding=1), nn.ReLU(), nn.AdaptiveMaxPool2d(1), nn.Flatten(1),
                         nn.Linear(6, 3))


def op_signal_1d():
    """An M5-style raw-waveform net on [N, 1, 400]: a wide strided first conv, BN, ReLU, max pool, a kernel-3
    conv with padding, a dilated grouped conv, average pool, GlobalAveragePool and a linear layer."""
    return nn.Sequential(nn.Conv1d(1, 8, 20, stride=4), nn.BatchNorm1d(8), nn.ReLU(), nn.MaxPool1d(4),
                         nn.Conv1d(8, 16, 3, padding=1, bias=False), nn.BatchNorm1d(16), nn.ReLU(),
                         nn.Conv1d(16, 16, 3, padding=2, dilation=2, groups=2), nn.ReLU(), nn.AvgPool1d(2),
                         nn.AdaptiveAvgPool1d(1), nn.Flatten(1), nn.Linear(16, 5))


def small_fmnist_net():
    return nn.Sequential(*conv_bn_relu(1, 8), nn.MaxPool2d(2, 2), nn.Flatten(1),
                         nn.Linear(8 * 14 * 14, 10))


# ---------------------------------------------------------------------------------------------
# The table: file name (without .onnx) -> how to build and export it.

Spec = collections.namedtuple("Spec", "builder shape opset seed fold must_have half_weights",
                              defaults=(13, 0, True, (), False))

MODELS = {
    "fmnist-cnn": Spec(fmnist_cnn, (1, 28, 28), 13, 1, half_weights=True),
    "fmnist-resnet": Spec(fmnist_resnet, (1, 28, 28), 13, 2),
    "squeezenet1_1": Spec(squeezenet1_1, (3, 64, 64), 13, 3, half_weights=True),
    "mobilenet_v2_025": Spec(mobilenet_v2_025, (3, 64, 64), 13, 4),
    "nhwc_keras_style": Spec(nhwc_keras_style, (28, 28, 1), 13, 5),
    "nhwc_keras_flatten": Spec(nhwc_keras_flatten, (8, 6, 2), 13, 6, must_have=("Transpose", "Flatten")),
    "op_shufflenet_blocks": Spec(op_shufflenet_blocks, (3, 12, 12), 13, 7, must_have=("Slice", "Transpose")),
    "op_mobilenet_v3_blocks": Spec(op_mobilenet_v3_blocks, (3, 12, 12), 13, 8, must_have=("HardSigmoid", "Mul")),
    "op_conv_variants": Spec(op_conv_variants, (4, 10, 10), 13, 101),
    "op_conv_strided": Spec(op_conv_strided, (4, 10, 10), 13, 102),
    "op_conv_asymmetric_pad": Spec(op_conv_asymmetric_pad, (4, 9, 9), 13, 103, must_have=("Pad",)),
    "op_pools": Spec(op_pools, (4, 13, 13), 13, 104),
    "op_activations": Spec(op_activations, (6, 5, 5), 13, 105),
    "op_broadcast": Spec(op_broadcast, (8, 6, 6), 13, 106),
    "op_gemm_matmul": Spec(op_gemm_matmul, (12,), 13, 107, must_have=("Gemm", "MatMul")),
    "op_reshape_shape_chain": Spec(op_reshape_shape_chain, (4, 6, 6), 13, 108, fold=False,
                                   must_have=("Shape", "Gather", "Reshape")),
    "op_transpose_squeeze": Spec(op_transpose_squeeze, (3, 4, 5), 13, 109,
                                 must_have=("Transpose", "Unsqueeze", "Squeeze")),
    "op_convtranspose": Spec(op_convtranspose, (4, 5, 5), 13, 110),
    "op_global_max_pool": Spec(op_global_max_pool, (4, 9, 7), 13, 112, must_have=("MaxPool",)),
    "op_signal_1d": Spec(op_signal_1d, (1, 400), 13, 113, must_have=("Conv", "BatchNormalization", "GlobalAveragePool")),
    "op_opset9": Spec(small_fmnist_net, (1, 28, 28), 9, 111, must_have=("BatchNormalization",)),
    "op_opset17": Spec(small_fmnist_net, (1, 28, 28), 17, 111, must_have=("BatchNormalization",)),
}

# --full: full-size torchvision 0.14 models, random seeded weights (weights=None: no download).
FULL_MODELS = {
    "resnet18": lambda: torchvision.models.resnet18(weights=None),
    "resnet50": lambda: torchvision.models.resnet50(weights=None),
    "vgg16_bn": lambda: torchvision.models.vgg16_bn(weights=None),
    "mobilenet_v2": lambda: torchvision.models.mobilenet_v2(weights=None),
    "efficientnet_b0": lambda: torchvision.models.efficientnet_b0(weights=None),
    "densenet121": lambda: torchvision.models.densenet121(weights=None),
    "googlenet": lambda: torchvision.models.googlenet(weights=None, aux_logits=False,
                                                      init_weights=True),
    "resnext50_32x4d": lambda: torchvision.models.resnext50_32x4d(weights=None),
    "shufflenet_v2_x1_0": lambda: torchvision.models.shufflenet_v2_x1_0(weights=None),
    "regnet_y_400mf": lambda: torchvision.models.regnet_y_400mf(weights=None),
    "mobilenet_v3_small": lambda: torchvision.models.mobilenet_v3_small(weights=None),
    "inception_v3": lambda: torchvision.models.inception_v3(weights=None, aux_logits=False,
                                                            init_weights=True),
}
FULL_SPECS = {name: Spec(builder, (3, 224, 224), 13, 1000 + i)
              for i, (name, builder) in enumerate(FULL_MODELS.items())}


def store_weights_as_float16(path):
    """Rewrites the file with its large float initializers in float16, each read through a Cast back to
    float: the same graph at half the size (fmnist-cnn and squeezenet would be 3.4 and 2.9 MB), and a
    test of float16 data and Cast folding on import. Both engines then see the same rounded weights."""
    proto = onnx.load(path)
    casts = []
    for t in proto.graph.initializer:
        if t.data_type == onnx.TensorProto.FLOAT and numpy.prod(t.dims) >= 1024:
            name = t.name
            t.CopyFrom(numpy_helper.from_array(numpy_helper.to_array(t).astype(numpy.float16), name + "_fp16"))
            casts.append(onnx.helper.make_node("Cast", [name + "_fp16"], [name], name="Cast_" + name,
                                               to=onnx.TensorProto.FLOAT))
    nodes = casts + list(proto.graph.node)
    del proto.graph.node[:]
    proto.graph.node.extend(nodes)
    onnx.save(proto, path)


def export(name, spec, out_dir):
    torch.manual_seed(spec.seed)
    model = randomize_batchnorm(spec.builder()).eval()
    dummy = torch.randn(EXPORT_BATCH, *spec.shape)
    path = os.path.join(out_dir, name + ".onnx")
    with torch.no_grad():
        torch.onnx.export(
            model, dummy, path,
            input_names=["input"], output_names=["output"],
            dynamic_axes={"input": {0: "batch"}, "output": {0: "batch"}},
            opset_version=spec.opset, do_constant_folding=spec.fold,
            # PRESERVE on an eval-mode model: inference export, but BN is not folded into Conv.
            training=torch.onnx.TrainingMode.PRESERVE)
    if spec.half_weights:
        store_weights_as_float16(path)
    onnx.checker.check_model(path)
    proto = onnx.load(path)
    ops = sorted({n.op_type for n in proto.graph.node})
    missing = [op for op in spec.must_have if op not in ops]
    if missing:
        sys.exit(f"{name}: expected op types {missing} in the graph, got {ops}")
    opset = next(o.version for o in proto.opset_import if o.domain in ("", "ai.onnx"))
    size_kb = os.path.getsize(path) / 1024
    print(f"{name + '.onnx':30s} opset {opset:2d} {size_kb:9.1f} KB  {' '.join(ops)}", flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", help="output directory (default: src/test/resources/onnx, "
                                      "or /tmp/onnx-full with --full)")
    parser.add_argument("--full", action="store_true",
                        help="export the full-size torchvision models instead of the test models")
    args = parser.parse_args()
    specs = FULL_SPECS if args.full else MODELS
    out_dir = os.path.normpath(args.out or (DEFAULT_FULL_OUT if args.full else DEFAULT_OUT))
    os.makedirs(out_dir, exist_ok=True)
    print(f"torch {torch.__version__}, torchvision {torchvision.__version__}, onnx "
          f"{onnx.__version__} -> {out_dir}")
    for name, spec in specs.items():
        export(name, spec, out_dir)


if __name__ == "__main__":
    main()
