package org.cnn4j.data.augment;

import java.util.SplittableRandom;

/**
 * Colours a waveform with a random equaliser: {@code bands} peaking filters (the RBJ audio-EQ cookbook's
 * biquad), each at a centre frequency drawn log-uniformly from 1% to 90% of the Nyquist frequency, with a
 * gain drawn uniformly from -maxDb..+maxDb and a Q drawn log-uniformly from 0.5 to 2. A voice's timbre and
 * a microphone's colour are such smooth changes of the spectral envelope; training with them is meant to
 * make a model lean less on the exact band levels of the voices it saw (measured in docs/audio.md, "Accuracy"). Frequencies are relative to the clip's
 * sample rate, so the augmentation needs no rate.
 */
public record RandomEq(int bands, double maxDb) implements Augmentation {
    public RandomEq {
        if (bands < 1 || bands > 16) {
            throw new IllegalArgumentException("eq: the band count must be in [1, 16], got " + bands);
        }
        if (!(maxDb >= 0 && maxDb <= 40)) {
            throw new IllegalArgumentException("eq: the gain range must be in [0, 40] dB, got " + maxDb);
        }
    }

    @Override
    public void apply(float[] samples, float[] scratch, int channels, int height, int width, SplittableRandom rnd) {
        Waveforms.requireWaveform("eq", channels, height, width);
        for (int b = 0; b < bands; b++) {
            double w0 = Math.PI * 0.01 * Math.pow(90, rnd.nextDouble()); // 1%..90% of Nyquist, in radians per sample
            double gainDb = (rnd.nextDouble() * 2 - 1) * maxDb, q = 0.5 * Math.pow(4, rnd.nextDouble());
            for (int c = 0; c < channels; c++) {
                peak(samples, c * width, (c + 1) * width, w0, gainDb, q);
            }
        }
    }

    /** Filters samples[from, to) in place by one peaking biquad of centre w0 (radians per sample), gain and Q. */
    static void peak(float[] samples, int from, int to, double w0, double gainDb, double q) {
        double amp = Math.pow(10, gainDb / 40), alpha = Math.sin(w0) / (2 * q), cos = Math.cos(w0), a0 = 1 + alpha / amp;
        double b0 = (1 + alpha * amp) / a0, b1 = -2 * cos / a0, b2 = (1 - alpha * amp) / a0;
        double a1 = -2 * cos / a0, a2 = (1 - alpha / amp) / a0;
        double x1 = 0, x2 = 0, y1 = 0, y2 = 0;
        for (int i = from; i < to; i++) {
            double x = samples[i], y = b0 * x + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2;
            x2 = x1;
            x1 = x;
            y2 = y1;
            y1 = y;
            samples[i] = (float) y;
        }
    }
}
