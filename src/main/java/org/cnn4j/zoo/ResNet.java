package org.cnn4j.zoo;

import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.nn.ActivationLayer;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.GlobalAvgPool2d;
import org.cnn4j.nn.Graph;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Pool2d;

/**
 * ResNet (He et al., 2015) as torchvision builds it (v1.5: a bottleneck's stride sits on its 3x3
 * convolution): a 7x7/2 convolution and a 3x3/2 max pool, four stages of basic blocks (ResNet-18/34) or
 * bottleneck blocks (ResNet-50) of widths 64-512, global average pooling and a linear classifier. The
 * skip connections are {@link Graph} Add nodes; a shortcut that changes shape is a 1x1 convolution + BN.
 * Any input of at least 32x32 works (the global pool absorbs the size); at 3x224x224 and 1000 classes
 * ResNet-50 has 25.6 M parameters and costs 4.1 GMACs.
 */
public final class ResNet {
    private static final int[] WIDTHS = {64, 128, 256, 512};

    private ResNet() {
    }

    public static Graph resnet18(int channels, int height, int width, int classes) {
        return build(new int[] {2, 2, 2, 2}, false, channels, height, width, classes);
    }

    public static Graph resnet34(int channels, int height, int width, int classes) {
        return build(new int[] {3, 4, 6, 3}, false, channels, height, width, classes);
    }

    public static Graph resnet50(int channels, int height, int width, int classes) {
        return build(new int[] {3, 4, 6, 3}, true, channels, height, width, classes);
    }

    private static Graph build(int[] blocks, boolean bottleneck, int channels, int height, int width, int classes) {
        if (height < 32 || width < 32) {
            throw new IllegalArgumentException("resnet: input " + height + "x" + width + " is too small (a stride of 32 needs at least 32x32)");
        }
        Graph g = new Graph("input");
        String x = Layers.convBnRelu(g, "conv1", "input", channels, 64, 7, 2, 3);
        g.layer("maxpool", new Pool2d(Pool2dSpec.Kind.MAX, 3, 2, 1, false, true), x);
        x = "maxpool";
        int in = 64;
        for (int s = 0; s < WIDTHS.length; s++) {
            for (int b = 0; b < blocks[s]; b++) {
                int stride = s > 0 && b == 0 ? 2 : 1;
                String p = "layer" + (s + 1) + "_" + b;
                x = bottleneck ? bottleneckBlock(g, p, x, in, WIDTHS[s], stride) : basicBlock(g, p, x, in, WIDTHS[s], stride);
                in = bottleneck ? WIDTHS[s] * 4 : WIDTHS[s];
            }
        }
        g.layer("avgpool", new GlobalAvgPool2d(), x).layer("flatten", new Flatten(), "avgpool").layer("fc", new Linear(in, classes), "flatten");
        return g;
    }

    /** conv3x3(stride)+BN+ReLU, conv3x3+BN, plus the shortcut, then ReLU; returns the block's output node. */
    static String basicBlock(Graph g, String p, String x, int in, int out, int stride) {
        String y = Layers.convBnRelu(g, p + "_conv1", x, in, out, 3, stride, 1);
        g.layer(p + "_conv2", Layers.conv(out, out, 3, 1, 1, false), y).layer(p + "_conv2_bn", new BatchNorm2d(out), p + "_conv2");
        return join(g, p, p + "_conv2_bn", x, in, out, stride);
    }

    /** conv1x1+BN+ReLU, conv3x3(stride)+BN+ReLU, conv1x1 (x4 channels)+BN, plus the shortcut, then ReLU. */
    static String bottleneckBlock(Graph g, String p, String x, int in, int width, int stride) {
        String y = Layers.convBnRelu(g, p + "_conv1", x, in, width, 1, 1, 0);
        y = Layers.convBnRelu(g, p + "_conv2", y, width, width, 3, stride, 1);
        g.layer(p + "_conv3", Layers.conv(width, width * 4, 1, 1, 0, false), y).layer(p + "_conv3_bn", new BatchNorm2d(width * 4), p + "_conv3");
        return join(g, p, p + "_conv3_bn", x, in, width * 4, stride);
    }

    /** Adds the residual: the identity, or a 1x1 convolution + BN where the shape changes; then ReLU. */
    private static String join(Graph g, String p, String branch, String x, int in, int out, int stride) {
        String shortcut = x;
        if (stride != 1 || in != out) {
            g.layer(p + "_downsample", Layers.conv(in, out, 1, stride, 0, false), x)
                    .layer(p + "_downsample_bn", new BatchNorm2d(out), p + "_downsample");
            shortcut = p + "_downsample_bn";
        }
        g.add(p + "_sum", branch, shortcut).layer(p + "_out", ActivationLayer.relu(), p + "_sum");
        return p + "_out";
    }
}
