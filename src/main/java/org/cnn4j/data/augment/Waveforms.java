package org.cnn4j.data.augment;

/** The check the waveform augmentations share: they take clips [channels][1][length], as audio datasets hold them. */
final class Waveforms {
    private Waveforms() {
    }

    static void requireWaveform(String op, int channels, int height, int width) {
        if (height != 1 || channels < 1 || width < 1) {
            throw new IllegalArgumentException(op + ": augments waveforms [channels, 1, length], got " + channels + "x" + height + "x" + width);
        }
    }
}
