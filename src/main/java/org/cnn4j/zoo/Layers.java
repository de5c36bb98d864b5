package org.cnn4j.zoo;

import org.cnn4j.nn.ActivationLayer;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Graph;
import org.cnn4j.nn.Init;

/** The building blocks the zoo's architectures share. */
final class Layers {
    private Layers() {
    }

    /** A convolution He-normal initialised over its fan-out, as torchvision's ResNet and VGG do. */
    static Conv2d conv(int in, int out, int kernel, int stride, int padding, boolean bias) {
        Conv2d c = new Conv2d(in, out, kernel, stride, padding, 1, 1, bias);
        Init.kaimingNormal(c.weight().value(), c.fanOut());
        if (bias) {
            Init.zeros(c.bias().value());
        }
        return c;
    }

    /** Adds conv (no bias) + BN + ReLU reading {@code x} as nodes {@code p}, {@code p_bn}, {@code p_relu}; returns the last. */
    static String convBnRelu(Graph g, String p, String x, int in, int out, int kernel, int stride, int padding) {
        g.layer(p, conv(in, out, kernel, stride, padding, false), x)
                .layer(p + "_bn", new BatchNorm2d(out), p)
                .layer(p + "_relu", ActivationLayer.relu(), p + "_bn");
        return p + "_relu";
    }
}
