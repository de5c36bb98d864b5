package org.cnn4j.audio;

import org.jtransforms.fft.FloatFFT_1D;

/**
 * The short-time Fourier transform as torch.stft computes it with {@code center=True,
 * pad_mode="reflect", window=torch.hann_window(n_fft)} (periodic Hann, window length n_fft,
 * one-sided): the signal is padded by n_fft/2 reflected samples at each end (mirrored about the end
 * sample, which is not repeated), frame t covers padded samples [t*hop, t*hop + n_fft), and a signal of
 * L samples gives 1 + L / hop frames of n_fft/2 + 1 frequency bins. The real FFTs are JTransforms'.
 * Spectra are stored frame after frame, each bin as (real, imaginary). {@link #powerBackward} is the
 * gradient of a loss on |X|^2 with respect to the signal. An instance keeps a frame of scratch memory:
 * one thread at a time.
 */
public final class Stft {
    private final int nFft, hop, bins;
    private final float[] window, frame;
    private final FloatFFT_1D fft;

    public Stft(int nFft, int hop) {
        if (nFft < 4 || nFft % 2 != 0) {
            throw new IllegalArgumentException("STFT: n_fft must be even and >= 4, got " + nFft);
        }
        if (hop <= 0) {
            throw new IllegalArgumentException("STFT: hop must be > 0 samples, got " + hop);
        }
        this.nFft = nFft;
        this.hop = hop;
        this.bins = nFft / 2 + 1;
        this.window = new float[nFft];
        for (int n = 0; n < nFft; n++) {
            window[n] = (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * n / nFft)); // periodic: the window torch.hann_window gives
        }
        this.frame = new float[nFft];
        this.fft = new FloatFFT_1D(nFft);
    }

    public int nFft() {
        return nFft;
    }

    public int hop() {
        return hop;
    }

    /** n_fft / 2 + 1. */
    public int bins() {
        return bins;
    }

    /** 1 + length / hop; fails, naming the lengths, when the signal is too short to reflect-pad. */
    public int frames(int length) {
        checkLength(length);
        return 1 + length / hop;
    }

    private void checkLength(int length) {
        if (length <= nFft / 2) {
            throw new IllegalArgumentException("STFT: a signal of " + length + " samples is too short for n_fft " + nFft
                    + " (reflect padding by " + nFft / 2 + " needs more than " + nFft / 2 + " samples)");
        }
    }

    /** The STFT of {@code x[offset, offset+length)} into {@code out[outOffset ..]}: frames(length) x bins complex values. */
    public void transform(float[] x, int offset, int length, float[] out, int outOffset) {
        int frames = frames(length), pad = nFft / 2;
        for (int t = 0; t < frames; t++) {
            for (int n = 0; n < nFft; n++) {
                frame[n] = window[n] * x[offset + reflect(t * hop + n - pad, length)];
            }
            fft.realForward(frame);
            int o = outOffset + t * 2 * bins;
            out[o] = frame[0];
            out[o + 1] = 0;
            for (int k = 1; k < bins - 1; k++) {
                out[o + 2 * k] = frame[2 * k];
                out[o + 2 * k + 1] = frame[2 * k + 1];
            }
            out[o + 2 * (bins - 1)] = frame[1];
            out[o + 2 * (bins - 1) + 1] = 0;
        }
    }

    /**
     * The gradient with respect to the signal of a loss whose gradient with respect to the power
     * |X[t][k]|^2 is {@code gradPower[gOffset + t * bins + k]}, given the spectrum {@code spectrum} of
     * {@link #transform}: written (not added) to {@code grad[offset, offset+length)}.
     * <p>Why it is an inverse FFT: d|X_k|^2 / d frame[n] = 2 Re(X_k e^{2 pi i k n / N}), so the frame's
     * gradient is 2 Re sum_k G_k X_k e^{2 pi i k n / N} over the one-sided bins k = 0 .. N/2. JTransforms'
     * unscaled inverse real FFT of a half spectrum Y returns half the sum over all N bins,
     * (Y_0 + Y_{N/2} (-1)^n) / 2 + Re sum_{0<k<N/2} Y_k e^{2 pi i k n / N} (its mirror bins are the conjugates),
     * so Y_k = 2 G_k X_k, with bins 0 and N/2 doubled again, gives the gradient. Then through the window,
     * and added back where each frame read from (overlap-add, the reflected samples folded onto the ones
     * they mirror).
     */
    public void powerBackward(float[] spectrum, int sOffset, float[] gradPower, int gOffset, float[] grad, int offset, int length) {
        int frames = frames(length), pad = nFft / 2;
        java.util.Arrays.fill(grad, offset, offset + length, 0f);
        for (int t = 0; t < frames; t++) {
            int s = sOffset + t * 2 * bins, g = gOffset + t * bins;
            frame[0] = 4 * gradPower[g] * spectrum[s];
            frame[1] = 4 * gradPower[g + bins - 1] * spectrum[s + 2 * (bins - 1)];
            for (int k = 1; k < bins - 1; k++) {
                frame[2 * k] = 2 * gradPower[g + k] * spectrum[s + 2 * k];
                frame[2 * k + 1] = 2 * gradPower[g + k] * spectrum[s + 2 * k + 1];
            }
            fft.realInverse(frame, false);
            for (int n = 0; n < nFft; n++) {
                grad[offset + reflect(t * hop + n - pad, length)] += window[n] * frame[n];
            }
        }
    }

    /** Where padded position {@code i} (0 = the signal's first sample) reads from in a signal of {@code length}. */
    private static int reflect(int i, int length) {
        return i < 0 ? -i : i >= length ? 2 * (length - 1) - i : i;
    }
}
