package org.cnn4j.data.augment;

import java.util.SplittableRandom;
import org.cnn4j.audio.Resampler;

/**
 * Plays a waveform faster or slower by a factor s drawn uniformly from 1-a..1+a (Ko et al. 2015's speed
 * perturbation): the clip is resampled by 1/s with the band-limited {@link Resampler#FAST}, so speed and pitch
 * change together (a tone of f Hz becomes s x f Hz), then fitted back to its length as
 * {@link org.cnn4j.audio.ClipLength} fits clips (centre crop, or centred with zero padding).
 */
public record SpeedPerturb(double maxChange) implements Augmentation {
    public SpeedPerturb {
        if (!(maxChange >= 0 && maxChange < 1)) {
            throw new IllegalArgumentException("speed: the change must be in [0, 1), got " + maxChange);
        }
    }

    @Override
    public void apply(float[] samples, float[] scratch, int channels, int height, int width, SplittableRandom rnd) {
        Waveforms.requireWaveform("speed", channels, height, width);
        double s = 1 + (rnd.nextDouble() * 2 - 1) * maxChange;
        long resampled = (long) Math.ceil(width / s);
        for (int c = 0; c < channels; c++) {
            int o = c * width;
            if (resampled >= width) { // only the middle width samples of the longer clip are computed
                Resampler.FAST.into(samples, o, width, 1 / s, (resampled - width) / 2, scratch, o, width);
            } else {
                int pad = (int) ((width - resampled) / 2);
                java.util.Arrays.fill(scratch, o, o + width, 0f);
                Resampler.FAST.into(samples, o, width, 1 / s, 0, scratch, o + pad, (int) resampled);
            }
        }
        System.arraycopy(scratch, 0, samples, 0, channels * width);
    }
}
