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
 * spectro-cnn, a keyword/digit classifier for 8 kHz mono clips (about 243 K parameters): the waveform
 * [1, 1, L] goes through a {@link LogMelSpectrogram} (n_fft 256, hop 80, 20 mels, 300-4000 Hz, the speech
 * floor: one second is a 20 x 101 image) and {@link SpecAugment} (training only: two frequency masks of up
 * to 6 mels and two time masks of up to 10 frames, 100 ms), then four conv3x3-BN-ReLU blocks of 32, 64, 128 and 128 channels,
 * the first three followed by a 2x2 max pool, a global average pool (so any clip length of more than 128
 * samples works), dropout 0.2 and linear(128 -> classes). Convolutions carry no bias (BN follows) and are
 * He-normal initialised.
 * <p>The fourth block is there for its reach: a word is a sequence of sounds, and the global pool averages
 * local features, so each must see most of the word. With three blocks a unit saw 18 frames (180 ms) and the
 * model reached 40% of held-out voices after 3 epochs; with four it sees 38 frames and reached 87% (40 mels).
 */
public final class SpectroCnn {
    /** The input it was designed for: one second at 8 kHz. */
    public static final int SAMPLE_RATE = 8000, LENGTH = 8000;
    /**
     * Half of {@link LogMelSpectrogram#speech}'s 40: wider bands blur the pitch harmonics that 40 bands resolve
     * below 1 kHz, and the training voices' pitch is not the test voices'. One run each, 15 epochs, no
     * augmentation: 98.5% of held-out espeak-ng voices and 73.2% of flite/festival voices, against 97.4% and 71.9%.
     */
    static final int MELS = 20;
    /**
     * The lowest mel band starts at 300 Hz, the telephone band's edge, not at 20 Hz: below it lies the voices'
     * fundamental (85-255 Hz), which tells speakers apart and words not. Two seeds each, {@code --augment eq=6}, 30
     * epochs: 83.6% and 82.3% of the flite/festival voices against 78.8% and 73.3% from 20 Hz (docs/audio.md, "Accuracy").
     */
    static final float F_MIN = 300;

    private SpectroCnn() {
    }

    public static Sequential build(int channels, int height, int width, int classes) {
        if (channels != 1 || height != 1) {
            throw new IllegalArgumentException("spectro-cnn: takes mono waveforms [1, 1, L], got " + channels + "x" + height + "x" + width);
        }
        Sequential net = new Sequential();
        net.add("melspec", new LogMelSpectrogram(SAMPLE_RATE, 256, 80, MELS, F_MIN, SAMPLE_RATE / 2f, LogMelSpectrogram.SPEECH_FLOOR))
                .add("specaugment", new SpecAugment(2, 6, 2, 10, 1))
                .add("conv1", Layers.conv(1, 32, 3, 1, 1, false)).add("bn1", new BatchNorm2d(32)).add("relu1", ActivationLayer.relu())
                .add("pool1", Pool2d.max(2, 2))
                .add("conv2", Layers.conv(32, 64, 3, 1, 1, false)).add("bn2", new BatchNorm2d(64)).add("relu2", ActivationLayer.relu())
                .add("pool2", Pool2d.max(2, 2))
                .add("conv3", Layers.conv(64, 128, 3, 1, 1, false)).add("bn3", new BatchNorm2d(128)).add("relu3", ActivationLayer.relu())
                .add("pool3", Pool2d.max(2, 2))
                .add("conv4", Layers.conv(128, 128, 3, 1, 1, false)).add("bn4", new BatchNorm2d(128)).add("relu4", ActivationLayer.relu())
                .add("gap", new GlobalAvgPool2d()).add("flatten", new Flatten()).add("dropout", new Dropout(0.2f, 2))
                .add("fc", new Linear(128, classes));
        return net;
    }
}
