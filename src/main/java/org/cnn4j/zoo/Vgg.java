package org.cnn4j.zoo;

import org.cnn4j.nn.ActivationLayer;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Dropout;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Pool2d;
import org.cnn4j.nn.Sequential;

/**
 * VGG (Simonyan and Zisserman, 2014), configurations A (VGG-11) and D (VGG-16), with or without batch
 * norm after each convolution, as torchvision builds them: five stages of 3x3 convolutions, each stage
 * ending in a 2x2 max pool, then linear 4096 - 4096 - classes with dropout 0.5. The classifier reads
 * 512 x (height/32) x (width/32) features (7x7 at 224x224: 138.4 M parameters for VGG-16).
 */
public final class Vgg {
    /** Output channels per convolution; 0 is a max pool. */
    private static final int[] VGG11 = {64, 0, 128, 0, 256, 256, 0, 512, 512, 0, 512, 512, 0};
    private static final int[] VGG16 = {64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0};

    private Vgg() {
    }

    public static Sequential vgg11(int channels, int height, int width, int classes, boolean batchNorm) {
        return build(VGG11, channels, height, width, classes, batchNorm);
    }

    public static Sequential vgg16(int channels, int height, int width, int classes, boolean batchNorm) {
        return build(VGG16, channels, height, width, classes, batchNorm);
    }

    private static Sequential build(int[] config, int channels, int height, int width, int classes, boolean batchNorm) {
        if (height < 32 || width < 32) {
            throw new IllegalArgumentException("vgg: input " + height + "x" + width + " is too small (five 2x2 pools need at least 32x32)");
        }
        Sequential net = new Sequential();
        int in = channels, stage = 1, index = 1;
        for (int out : config) {
            if (out == 0) {
                net.add("pool" + stage, Pool2d.max(2, 2));
                stage++;
                index = 1;
                continue;
            }
            String name = "conv" + stage + "_" + index++;
            net.add(name, Layers.conv(in, out, 3, 1, 1, true)); // torchvision keeps the bias even before BN
            if (batchNorm) {
                net.add(name + "_bn", new BatchNorm2d(out));
            }
            net.add(name + "_relu", ActivationLayer.relu());
            in = out;
        }
        net.add("flatten", new Flatten())
                .add("fc6", linear(512 * (height / 32) * (width / 32), 4096)).add("relu6", ActivationLayer.relu())
                .add("drop6", new Dropout(0.5f, 6))
                .add("fc7", linear(4096, 4096)).add("relu7", ActivationLayer.relu()).add("drop7", new Dropout(0.5f, 7))
                .add("fc8", linear(4096, classes));
        return net;
    }

    /** torchvision's VGG initialisation of the classifier: N(0, 0.01) weights, zero bias. */
    private static Linear linear(int in, int out) {
        Linear l = new Linear(in, out);
        Init.normal(l.weight().value(), 0.01);
        Init.zeros(l.bias().value());
        return l;
    }
}
