package org.cnn4j.zoo;

import org.cnn4j.nn.ActivationLayer;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Pool2d;
import org.cnn4j.nn.Sequential;

/**
 * LeNet-5 (LeCun et al., 1998) as it is usually built today: conv5x5(6) - pool - conv5x5(16) - pool -
 * linear 120 - 84 - classes, with ReLU and max pooling in place of the scaled tanh and trainable
 * sub-sampling. The first convolution pads by 2, so a 28x28 image meets the geometry of the paper's
 * 32x32 input (61,706 parameters for 10 classes); other sizes change only the first linear layer.
 */
public final class LeNet5 {
    private LeNet5() {
    }

    public static Sequential build(int channels, int height, int width, int classes) {
        int h = (height / 2 - 4) / 2, w = (width / 2 - 4) / 2;
        if (h < 1 || w < 1) {
            throw new IllegalArgumentException("lenet5: input " + height + "x" + width + " is too small (at least 12x12)");
        }
        return new Sequential()
                .add("conv1", new Conv2d(channels, 6, 5, 1, 2, 1, 1, true)).add("relu1", ActivationLayer.relu())
                .add("pool1", Pool2d.max(2, 2))
                .add("conv2", new Conv2d(6, 16, 5, 1, 0, 1, 1, true)).add("relu2", ActivationLayer.relu())
                .add("pool2", Pool2d.max(2, 2))
                .add("flatten", new Flatten())
                .add("fc1", new Linear(16 * h * w, 120)).add("relu3", ActivationLayer.relu())
                .add("fc2", new Linear(120, 84)).add("relu4", ActivationLayer.relu())
                .add("fc3", new Linear(84, classes));
    }
}
