package org.cnn4j.data.augment;

import java.util.SplittableRandom;

/**
 * Scales a waveform by a gain drawn uniformly in decibels from -maxDb..+maxDb (amplitude x 10^(dB/20)),
 * so recordings of any loudness are seen. Samples are not clipped: a gain above 0 dB may take them past +-1.
 */
public record Gain(double maxDb) implements Augmentation {
    public Gain {
        if (!(maxDb >= 0 && maxDb <= 60)) {
            throw new IllegalArgumentException("gain: the range must be in [0, 60] dB, got " + maxDb);
        }
    }

    @Override
    public void apply(float[] samples, float[] scratch, int channels, int height, int width, SplittableRandom rnd) {
        Waveforms.requireWaveform("gain", channels, height, width);
        float g = (float) Math.pow(10, (rnd.nextDouble() * 2 - 1) * maxDb / 20);
        for (int i = 0; i < channels * width; i++) {
            samples[i] *= g;
        }
    }
}
