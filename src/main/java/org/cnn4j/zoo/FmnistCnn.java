package org.cnn4j.zoo;

import org.cnn4j.nn.ActivationLayer;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Pool2d;
import org.cnn4j.nn.Sequential;

/**
 * fmnist-cnn, a plain CNN for Fashion-MNIST (about 0.87 M parameters for 28x28 inputs): two blocks of two
 * conv3x3+BN+ReLU and a 2x2 max pool, then linear(64*(h/4)*(w/4) -> 256) + ReLU and linear(256 -> classes).
 * Convolutions carry no bias (BN follows) and are He-normal initialised; {@code width} scales the
 * channel counts (1 = the reference net; the demo uses a narrower one).
 */
public final class FmnistCnn {
    private FmnistCnn() {
    }

    public static Sequential build(int inChannels, int height, int width, int classes, int widthDivisor) {
        int c1 = 32 / widthDivisor, c2 = 64 / widthDivisor, hidden = 256 / widthDivisor;
        Sequential net = new Sequential();
        net.add("conv1", heNormal(new Conv2d(inChannels, c1, 3, 1, 1, 1, 1, false))).add("bn1", new BatchNorm2d(c1))
                .add("relu1", ActivationLayer.relu())
                .add("conv2", heNormal(new Conv2d(c1, c1, 3, 1, 1, 1, 1, false))).add("bn2", new BatchNorm2d(c1))
                .add("relu2", ActivationLayer.relu())
                .add("pool1", Pool2d.max(2, 2))
                .add("conv3", heNormal(new Conv2d(c1, c2, 3, 1, 1, 1, 1, false))).add("bn3", new BatchNorm2d(c2))
                .add("relu3", ActivationLayer.relu())
                .add("conv4", heNormal(new Conv2d(c2, c2, 3, 1, 1, 1, 1, false))).add("bn4", new BatchNorm2d(c2))
                .add("relu4", ActivationLayer.relu())
                .add("pool2", Pool2d.max(2, 2))
                .add("flatten", new Flatten())
                .add("fc1", new Linear(c2 * (height / 4) * (width / 4), hidden)).add("relu5", ActivationLayer.relu())
                .add("fc2", new Linear(hidden, classes));
        return net;
    }

    static Conv2d heNormal(Conv2d c) {
        Init.kaimingNormal(c.weight().value(), c.fanIn());
        return c;
    }
}
