package org.cnn4j.explain;

import org.cnn4j.audio.MelFilterbank;
import org.cnn4j.explain.Explanations.Map2d;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;
import org.jtransforms.fft.FloatFFT_1D;

/**
 * Why a sound model predicts a class for a clip, over time and over frequency. The clip is the model's input
 * waveform [1, 1, 1, L]; a spectrogram model computes its spectrogram inside the network, so every method here
 * works on waveform and spectrogram models alike:
 * <ul>
 *   <li>{@link #gradCamOverTime}: Grad-CAM at a layer, summed over the layer's height (the frequency axis of a
 *   spectrogram model, 1 for a waveform model) and stretched to the clip's samples;</li>
 *   <li>{@link #gradCamOverSpectrogram}: a spectrogram model's Grad-CAM over time and frequency, resized to its
 *   spectrogram's frames and bands;</li>
 *   <li>{@link #occlusionOverTime}: the drop in the class probability when a window of the clip is silenced;</li>
 *   <li>{@link #occlusionOverFrequency}: the drop when a frequency band is removed from the whole clip (a band-stop
 *   filter: the sound-domain counterpart of covering part of an image, independent of the model's front end).</li>
 * </ul>
 */
public final class SoundExplanations {
    private SoundExplanations() {
    }

    /** Grad-CAM at {@code layer} as a weight per sample of the clip (higher: that moment drove the class). */
    public static float[] gradCamOverTime(Module model, String layer, Tensor wave, int cls) {
        int samples = checkWave(wave);
        Map2d cam = Explanations.gradCamMap(model, layer, wave, cls);
        float[] overTime = new float[cam.width()];
        for (int y = 0; y < cam.height(); y++) {
            for (int t = 0; t < cam.width(); t++) {
                overTime[t] += cam.values()[y * cam.width() + t];
            }
        }
        return new Map2d(overTime, 1, cam.width()).resized(1, samples);
    }

    /**
     * A spectrogram model's Grad-CAM at {@code layer}, resized to a spectrogram of {@code bands x frames} (row 0 the
     * lowest band, as the model's front end orders them).
     */
    public static float[] gradCamOverSpectrogram(Module model, String layer, Tensor wave, int cls, int bands, int frames) {
        checkWave(wave);
        Map2d cam = Explanations.gradCamMap(model, layer, wave, cls);
        if (cam.height() == 1) {
            throw new IllegalArgumentException("grad-cam: layer '" + layer + "' has a map of height 1, a waveform model's; use the "
                    + "map over time");
        }
        return cam.resized(bands, frames);
    }

    /** The drop in the class probability when {@code window} samples are silenced, averaged per sample over the windows. */
    public static float[] occlusionOverTime(Module model, Tensor wave, int cls, int window, int stride, float silence) {
        checkWave(wave);
        return Explanations.occlusion(model, wave, cls, 1, window, stride, silence);
    }

    /** Frequency bands [lowHz, highHz) and how much removing each from the clip lowered the class probability. */
    public record BandDrops(float[] lowHz, float[] highHz, float[] drop) {
    }

    /**
     * Removes each of {@code bands} mel-spaced bands (equal widths in pitch from 0 Hz to the Nyquist frequency) from
     * the whole clip, one band at a time, and records the drop in the class probability. The clip is filtered in the
     * frequency domain of one real FFT over all its samples; the DC bin counts to the lowest band.
     */
    public static BandDrops occlusionOverFrequency(Module model, Tensor wave, int sampleRate, int cls, int bands) {
        int n = checkWave(wave);
        if (bands < 1 || bands > n / 2) {
            throw new IllegalArgumentException("occlusion over frequency: bands must be in 1.." + n / 2 + " for " + n + " samples, got " + bands);
        }
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("occlusion over frequency: sample rate must be > 0 Hz, got " + sampleRate);
        }
        float[] x = wave.toArray();
        float[] spectrum = x.clone();
        FloatFFT_1D fft = new FloatFFT_1D(n);
        fft.realForward(spectrum);
        float nyquist = sampleRate / 2f;
        float[] low = new float[bands], high = new float[bands];
        double top = MelFilterbank.hzToMel(nyquist);
        for (int b = 0; b < bands; b++) {
            low[b] = (float) MelFilterbank.melToHz(top * b / bands);
            high[b] = (float) MelFilterbank.melToHz(top * (b + 1) / bands);
        }
        float[] batch = new float[bands * n];
        for (int b = 0; b < bands; b++) {
            float[] s = spectrum.clone();
            for (int k = 0; k <= n / 2; k++) {
                float f = (float) k * sampleRate / n;
                if (f >= low[b] && (f < high[b] || b == bands - 1)) {
                    zeroBin(s, k, n);
                }
            }
            fft.realInverse(s, true);
            System.arraycopy(s, 0, batch, b * n, n);
        }
        float base = Explanations.probabilities(model, wave)[cls];
        float[] p;
        try (Tensor filtered = Tensor.of(batch, bands, 1, 1, n)) {
            p = Explanations.probabilities(model, filtered);
        }
        int classes = p.length / bands;
        float[] drop = new float[bands];
        for (int b = 0; b < bands; b++) {
            drop[b] = base - p[b * classes + cls];
        }
        return new BandDrops(low, high, drop);
    }

    /** Zeroes bin {@code k} of a spectrum in JTransforms' packed real layout (a[1] holds the last bin's real or imaginary part). */
    private static void zeroBin(float[] s, int k, int n) {
        if (k == 0) {
            s[0] = 0;
        } else if (n % 2 == 0 && 2 * k == n) {
            s[1] = 0;
        } else if (n % 2 == 1 && k == (n - 1) / 2) {
            s[n - 1] = 0;
            s[1] = 0;
        } else {
            s[2 * k] = 0;
            s[2 * k + 1] = 0;
        }
    }

    /** The number of samples of a clip [1, 1, 1, L]. */
    private static int checkWave(Tensor wave) {
        if (wave == null || wave.rank() != 4 || wave.dim(0) != 1 || wave.dim(1) != 1 || wave.dim(2) != 1) {
            throw new IllegalArgumentException("explain: a sound clip must be one waveform [1, 1, 1, samples], got "
                    + (wave == null ? "null" : wave.shape()));
        }
        return wave.dim(3);
    }

    /** The mean of {@code values} over each of {@code parts} equal stretches, for drawing a long curve in few pixels. */
    public static float[] meanPerPart(float[] values, int parts) {
        float[] out = new float[parts];
        for (int p = 0; p < parts; p++) {
            int from = (int) ((long) p * values.length / parts);
            int to = Math.min(values.length, Math.max(from + 1, (int) ((long) (p + 1) * values.length / parts)));
            double sum = 0;
            for (int i = from; i < to; i++) {
                sum += values[i];
            }
            out[p] = (float) (sum / (to - from));
        }
        return out;
    }
}
