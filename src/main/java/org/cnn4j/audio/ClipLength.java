package org.cnn4j.audio;

/**
 * Fits a clip to a model's input length: a longer clip is center-cropped (its middle {@code length}
 * samples are kept, where a recording trimmed around an utterance has it), a shorter one is centered
 * and zero-padded on both sides (the extra sample of an odd padding goes at the end).
 */
public final class ClipLength {
    private ClipLength() {
    }

    public static float[] fit(float[] samples, int length) {
        if (length <= 0) {
            throw new IllegalArgumentException("clip length: must be > 0 samples, got " + length);
        }
        float[] out = new float[length];
        if (samples.length >= length) {
            System.arraycopy(samples, (samples.length - length) / 2, out, 0, length);
        } else {
            System.arraycopy(samples, 0, out, (length - samples.length) / 2, samples.length);
        }
        return out;
    }
}
