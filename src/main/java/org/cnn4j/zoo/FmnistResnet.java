package org.cnn4j.zoo;

import org.cnn4j.nn.ActivationLayer;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.GlobalAvgPool2d;
import org.cnn4j.nn.Graph;
import org.cnn4j.nn.Linear;

/**
 * fmnist-resnet, a small ResNet for 28x28 images (about 0.17 M parameters): a conv3x3(16)+BN+ReLU stem, three stages
 * of two basic blocks (widths 16, 32, 64; the first block of stages 2 and 3 has stride 2 and a
 * 1x1 conv + BN projection shortcut, every other shortcut is the identity), global average pooling
 * and linear(64 -> classes). Built with {@link Graph}: the skip connections are its Add nodes.
 */
public final class FmnistResnet {
    private FmnistResnet() {
    }

    public static Graph build(int inChannels, int classes) {
        Graph g = new Graph("input");
        g.layer("stem_conv", FmnistCnn.heNormal(new Conv2d(inChannels, 16, 3, 1, 1, 1, 1, false)), "input")
                .layer("stem_bn", new BatchNorm2d(16), "stem_conv").layer("stem_relu", ActivationLayer.relu(), "stem_bn");
        String x = "stem_relu";
        int in = 16;
        int[] widths = {16, 32, 64};
        for (int s = 0; s < 3; s++) {
            for (int b = 0; b < 2; b++) {
                int stride = s > 0 && b == 0 ? 2 : 1;
                x = basicBlock(g, "s" + (s + 1) + "b" + (b + 1), x, in, widths[s], stride);
                in = widths[s];
            }
        }
        g.layer("pool", new GlobalAvgPool2d(), x).layer("flatten", new Flatten(), "pool").layer("fc", new Linear(64, classes), "flatten");
        return g;
    }

    /** conv3x3(stride)+BN+ReLU, conv3x3+BN, plus the shortcut, ReLU; returns the block's output node. */
    static String basicBlock(Graph g, String p, String x, int in, int out, int stride) {
        g.layer(p + "_conv1", FmnistCnn.heNormal(new Conv2d(in, out, 3, stride, 1, 1, 1, false)), x)
                .layer(p + "_bn1", new BatchNorm2d(out), p + "_conv1").layer(p + "_relu1", ActivationLayer.relu(), p + "_bn1")
                .layer(p + "_conv2", FmnistCnn.heNormal(new Conv2d(out, out, 3, 1, 1, 1, 1, false)), p + "_relu1")
                .layer(p + "_bn2", new BatchNorm2d(out), p + "_conv2");
        String shortcut = x;
        if (stride != 1 || in != out) {
            g.layer(p + "_proj", FmnistCnn.heNormal(new Conv2d(in, out, 1, stride, 0, 1, 1, false)), x)
                    .layer(p + "_proj_bn", new BatchNorm2d(out), p + "_proj");
            shortcut = p + "_proj_bn";
        }
        g.add(p + "_sum", p + "_bn2", shortcut).layer(p + "_out", ActivationLayer.relu(), p + "_sum");
        return p + "_out";
    }
}
