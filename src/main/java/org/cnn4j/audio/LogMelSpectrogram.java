package org.cnn4j.audio;

import java.nio.FloatBuffer;
import org.cnn4j.nn.LayerConfig;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Tensor;

/**
 * The spectrogram front end as a layer, like torchaudio's {@code MelSpectrogram} followed by a log in an
 * {@code nn.Sequential}: waveforms [N, 1, 1, L] to log-mel spectrograms [N, 1, n_mels, 1 + L / hop], an
 * image per clip (mels high, frames wide) for a 2-D CNN. Per clip: the {@link Stft} (periodic Hann window of
 * n_fft, reflect centre padding), the power |X|^2, HTK mel filters without normalisation ({@link MelFilterbank})
 * and the natural log of mel + floor (the floor keeps silence finite). A model therefore
 * takes raw waveforms, and augmentation stays on the waveform. The backward pass is the exact input gradient
 * (through the log, the mel filters, |X|^2, the real DFT, the window and the overlapping frames), which
 * saliency maps need; there are no parameters. Computed in Java with JTransforms, one clip after another.
 */
public final class LogMelSpectrogram extends Module {
    /**
     * The floor of {@link #speech}: log(1e-2) = -4.6 lies about 55 dB under a loud speech band of a clip peaking
     * near full scale, so digital silence looks like quiet noise. With torchaudio's customary 1e-6 (-13.8), the
     * step between silence and sound was the largest contrast in every clip and dominated the first batch norm's
     * statistics: spectro-cnn reached 39% after 3 epochs with it and 51% with this floor.
     */
    public static final float SPEECH_FLOOR = 1e-2f;
    /** The floor of files written before it was a setting. */
    private static final float FORMER_FLOOR = 1e-6f;

    private final int sampleRate, nFft, hop, mels;
    private final float fMin, fMax, floor;
    private final Stft stft;
    private final MelFilterbank filters;
    private float[] signal, spectra, power, inverseMel, gradMel, gradPower;
    private int[] inputDims;
    private Layout inputLayout;
    private Tensor output, gradInput;

    public LogMelSpectrogram(int sampleRate, int nFft, int hop, int mels, float fMin, float fMax, float floor) {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("LogMelSpectrogram: sample_rate must be > 0 Hz, got " + sampleRate);
        }
        if (!(floor > 0 && floor < Float.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("LogMelSpectrogram: floor must be a positive number, got " + floor);
        }
        this.floor = floor;
        this.sampleRate = sampleRate;
        this.nFft = nFft;
        this.hop = hop;
        this.mels = mels;
        this.fMin = fMin;
        this.fMax = fMax;
        try {
            this.stft = new Stft(nFft, hop);
            this.filters = new MelFilterbank(stft.bins(), sampleRate, mels, fMin, fMax);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("LogMelSpectrogram: " + e.getMessage(), e);
        }
    }

    /**
     * The usual speech settings for {@code sampleRate}: a window of 32 ms rounded up to a power of two, a hop
     * of 10 ms, 40 mels from 20 Hz to the Nyquist frequency and the {@link #SPEECH_FLOOR}; at 8 kHz n_fft 256,
     * hop 80, so one second makes [1, 40, 101].
     */
    public static LogMelSpectrogram speech(int sampleRate) {
        int nFft = Integer.highestOneBit(Math.max(4, (int) Math.ceil(0.032 * sampleRate) - 1)) * 2;
        return new LogMelSpectrogram(sampleRate, nFft, Math.max(1, sampleRate / 100), 40, 20, sampleRate / 2f, SPEECH_FLOOR);
    }

    public int sampleRate() {
        return sampleRate;
    }

    /**
     * Fails naming the layer when a LogMelSpectrogram in {@code network} places its mel bands for another sample rate
     * than the clips' (a zoo model built for 8 kHz trained on clips resampled to 16 kHz would see every frequency
     * doubled, and train without a complaint).
     */
    public static void requireSampleRate(Module network, int clipRate) {
        requireSampleRate("", network, clipRate);
    }

    private static void requireSampleRate(String path, Module m, int clipRate) {
        if (m instanceof LogMelSpectrogram lm && lm.sampleRate != clipRate) {
            throw new IllegalArgumentException("LogMelSpectrogram" + (path.isEmpty() ? "" : " '" + path + "'") + ": its mel bands are for "
                    + lm.sampleRate + " Hz clips, these are " + clipRate + " Hz (resample them to " + lm.sampleRate + " Hz, e.g. --sample-rate "
                    + lm.sampleRate + ")");
        }
        m.children().forEach((name, child) -> requireSampleRate(path.isEmpty() ? name : path + "." + name, child, clipRate));
    }

    public int nFft() {
        return nFft;
    }

    public int hop() {
        return hop;
    }

    public int mels() {
        return mels;
    }

    public float fMin() {
        return fMin;
    }

    public float fMax() {
        return fMax;
    }

    public float floor() {
        return floor;
    }

    /** The mel filters, for tests and plots. */
    public MelFilterbank filters() {
        return filters;
    }

    /** 1 + length / hop. */
    public int frames(int length) {
        return stft.frames(length);
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4 || x.dim(1) != 1 || x.dim(2) != 1) {
            throw new IllegalArgumentException("LogMelSpectrogram: input must be waveforms [N, 1, 1, L], got " + x.shape());
        }
        int n = x.dim(0), length = x.dim(3), frames = frames(length), bins = stft.bins(), per = mels * frames;
        inputDims = x.dims();
        inputLayout = x.layout();
        signal = sized(signal, length);
        spectra = sized(spectra, n * frames * 2 * bins);
        power = sized(power, frames * bins);
        inverseMel = sized(inverseMel, n * per);
        // one channel and one row: NCHW and NHWC hold the same memory order, so the buffers are read and written as NCHW
        output = ensure(output, x.layout(), n, 1, mels, frames);
        FloatBuffer in = x.buffer(), out = output.buffer();
        for (int i = 0; i < n; i++) {
            in.get(i * length, signal, 0, length);
            int s = i * frames * 2 * bins;
            stft.transform(signal, 0, length, spectra, s);
            for (int t = 0; t < frames * bins; t++) {
                float re = spectra[s + 2 * t], im = spectra[s + 2 * t + 1];
                power[t] = re * re + im * im;
            }
            for (int t = 0; t < frames; t++) {
                filters.apply(power, t * bins, inverseMel, i * per + t, frames);
            }
            for (int q = i * per; q < (i + 1) * per; q++) {
                float v = inverseMel[q] + floor;
                out.put(q, (float) Math.log(v));
                inverseMel[q] = 1 / v;
            }
        }
        return output;
    }

    @Override
    public Tensor backward(Tensor gradOutput) {
        requireForward(inputDims != null);
        if (!needsInputGrad()) {
            return null;
        }
        int n = inputDims[0], length = inputDims[3], frames = frames(length), bins = stft.bins(), per = mels * frames;
        gradInput = ensure(gradInput, inputLayout, inputDims);
        gradPower = sized(gradPower, frames * bins);
        gradMel = sized(gradMel, per);
        FloatBuffer g = gradOutput.buffer(), gx = gradInput.buffer();
        for (int i = 0; i < n; i++) {
            for (int q = 0; q < per; q++) {
                gradMel[q] = g.get(i * per + q) * inverseMel[i * per + q];
            }
            for (int t = 0; t < frames; t++) {
                filters.applyTransposed(gradMel, t, frames, gradPower, t * bins);
            }
            stft.powerBackward(spectra, i * frames * 2 * bins, gradPower, 0, signal, 0, length);
            gx.put(i * length, signal, 0, length);
        }
        return gradInput;
    }

    private static float[] sized(float[] a, int size) {
        return a != null && a.length >= size ? a : new float[size];
    }

    public static LogMelSpectrogram fromConfig(LayerConfig c) {
        return new LogMelSpectrogram(c.integer("sample_rate"), c.integer("n_fft"), c.integer("hop_length"), c.integer("n_mels"),
                c.number("f_min"), c.number("f_max"), c.values().containsKey("floor") ? c.number("floor") : FORMER_FLOOR);
    }

    @Override
    public LayerConfig config() {
        return new LayerConfig("LogMelSpectrogram").put("sample_rate", sampleRate).put("n_fft", nFft).put("hop_length", hop)
                .put("n_mels", mels).put("f_min", fMin).put("f_max", fMax).put("floor", floor);
    }

    @Override
    public int[] outputShape(int[]... in) {
        if (in[0].length != 3 || in[0][0] != 1 || in[0][1] != 1) {
            throw new IllegalArgumentException("LogMelSpectrogram expects waveforms [1, 1, L], got " + java.util.Arrays.toString(in[0]));
        }
        return new int[] {1, mels, frames(in[0][2])};
    }

    /**
     * Per clip, frames x (window n_fft + real FFT about 2 n_fft log2 n_fft multiply-adds + power 2 bins + the
     * mel filters' non-zero weights): FFT counts vary by algorithm, so this is an estimate.
     */
    @Override
    public long macs(int[][] inputs, int[] output) {
        long perFrame = nFft + Math.round(2 * nFft * (Math.log(nFft) / Math.log(2))) + 2L * stft.bins() + filters.nonZeros();
        return output[2] * perFrame;
    }

    @Override
    protected Module newReplica() {
        return new LogMelSpectrogram(sampleRate, nFft, hop, mels, fMin, fMax, floor);
    }

    @Override
    public String describe() {
        return "LogMelSpectrogram(" + sampleRate + " Hz, n_fft " + nFft + ", hop " + hop + ", " + mels + " mels " + fMin + "-" + fMax
                + " Hz, floor " + floor + ")";
    }

    @Override
    public void close() {
        super.close();
        release(output, gradInput);
    }
}
