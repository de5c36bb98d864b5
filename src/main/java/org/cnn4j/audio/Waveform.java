package org.cnn4j.audio;

/**
 * A mono recording: samples in [-1, 1] (a float WAV may go beyond) at {@code sampleRate} samples per
 * second, as {@link WavReader} returns it and {@link WavWriter} stores it.
 */
public record Waveform(float[] samples, int sampleRate) {
    public Waveform {
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("waveform: sample rate must be > 0 Hz, got " + sampleRate);
        }
    }

    /** The length in seconds. */
    public double seconds() {
        return samples.length / (double) sampleRate;
    }
}
