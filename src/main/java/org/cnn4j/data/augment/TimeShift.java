package org.cnn4j.data.augment;

import java.util.SplittableRandom;

/**
 * Shifts a waveform in time by a whole number of samples drawn uniformly from -s..s, s = maxFraction x
 * length: circularly (what leaves one end comes in at the other, for clips of steady sound) or filling the
 * vacated samples with silence.
 */
public record TimeShift(double maxFraction, boolean circular) implements Augmentation {
    public TimeShift {
        if (!(maxFraction >= 0 && maxFraction <= 1)) {
            throw new IllegalArgumentException("timeshift: the fraction of the length must be in [0, 1], got " + maxFraction);
        }
    }

    @Override
    public void apply(float[] samples, float[] scratch, int channels, int height, int width, SplittableRandom rnd) {
        Waveforms.requireWaveform("timeshift", channels, height, width);
        int max = (int) Math.floor(maxFraction * width);
        int shift = rnd.nextInt(2 * max + 1) - max;
        for (int c = 0; c < channels; c++) {
            int o = c * width;
            for (int i = 0; i < width; i++) {
                int from = i - shift;
                scratch[o + i] = circular ? samples[o + Math.floorMod(from, width)] : from >= 0 && from < width ? samples[o + from] : 0f;
            }
        }
        System.arraycopy(scratch, 0, samples, 0, channels * width);
    }
}
