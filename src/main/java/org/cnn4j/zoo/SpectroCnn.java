package org.cnn4j.zoo;

import org.cnn4j.audio.LogMelSpectrogram;
import org.cnn4j.audio.SpecAugment;
import org.cnn4j.nn.ActivationLayer;
import org.cnn4j.nn.BatchNorm2d;
import org.cnn4j.nn.Dropout;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.GlobalAvgPool2d;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Pool2d;
import org.cnn4j.nn.Sequential;

/**
 * spectro-cnn, a keyword/digit classifier for 8 kHz mono clips (about 94 K parameters): the waveform
 * [1, 1, L] goes through a {@link LogMelSpectrogram} (n_fft 256, hop 80, 40 mels, 20-4000 Hz: one second
 * is a 40 x 101 image) and {@link SpecAugment} (training only: two frequency masks of up to 6 mels and two
 * time masks of up to 10 frames, 100 ms), then three conv3x3-BN-ReLU blocks of 32, 64 and 128 channels, the
 * first two followed by a 2x2 max pool, a global average pool (so any clip length of more than 128 samples
 * works), dropout 0.2 and linear(128 -> classes). Convolutions carry no bias (BN follows) and are He-normal
 * initialised.
 */
public final class SpectroCnn {
    /** The input it was designed for: one second at 8 kHz. */
    public static final int SAMPLE_RATE = 8000, LENGTH = 8000;

    private SpectroCnn() {
    }

    public static Sequential build(int channels, int height, int width, int classes) {
        if (channels != 1 || height != 1) {
            throw new IllegalArgumentException("spectro-cnn: takes mono waveforms [1, 1, L], got " + channels + "x" + height + "x" + width);
        }
        Sequential net = new Sequential();
        net.add("melspec", LogMelSpectrogram.speech(SAMPLE_RATE)).add("specaugment", new SpecAugment(2, 6, 2, 10, 1))
                .add("conv1", Layers.conv(1, 32, 3, 1, 1, false)).add("bn1", new BatchNorm2d(32)).add("relu1", ActivationLayer.relu())
                .add("pool1", Pool2d.max(2, 2))
                .add("conv2", Layers.conv(32, 64, 3, 1, 1, false)).add("bn2", new BatchNorm2d(64)).add("relu2", ActivationLayer.relu())
                .add("pool2", Pool2d.max(2, 2))
                .add("conv3", Layers.conv(64, 128, 3, 1, 1, false)).add("bn3", new BatchNorm2d(128)).add("relu3", ActivationLayer.relu())
                .add("gap", new GlobalAvgPool2d()).add("flatten", new Flatten()).add("dropout", new Dropout(0.2f, 2))
                .add("fc", new Linear(128, classes));
        return net;
    }
}
