package org.cnn4j.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import org.cnn4j.audio.LogMelSpectrogram;
import org.cnn4j.audio.MelFilterbank;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The sound explanations on a model whose answer is known by construction: a log-mel front end and a linear layer
 * whose class-0 score is the log energy of the mel bands around 1 kHz in the first half of the clip. Removing the
 * band that holds 1 kHz, or silencing the first half, must be what lowers class 0 most; a filter that is a 1 kHz
 * sinusoid must peak at 1 kHz in its frequency response.
 */
class SoundExplanationsTest {
    private static final int RATE = 8000, SAMPLES = 4000;

    /**
     * Class 0: log energy near 1 kHz in the first half; class 1: its negative. With the floor at 1e-6, silence is
     * at -13.8 and a silenced 100 ms moves the scores enough to see; with the speech floor, 1e-2, class 0 stays
     * saturated.
     */
    private static Sequential detector() {
        LogMelSpectrogram frontEnd = new LogMelSpectrogram(RATE, 256, 80, 40, 20, RATE / 2f, 1e-6f);
        int mels = frontEnd.mels(), frames = frontEnd.frames(SAMPLES);
        Linear head = new Linear(mels * frames, 2);
        float[] w = new float[2 * mels * frames];
        double lo = MelFilterbank.hzToMel(frontEnd.fMin()), hi = MelFilterbank.hzToMel(frontEnd.fMax());
        for (int m = 0; m < mels; m++) {
            double centre = MelFilterbank.melToHz(lo + (hi - lo) * (m + 1) / (mels + 1));
            if (Math.abs(centre - 1000) < 150) {
                for (int t = 0; t < frames / 2; t++) {
                    w[m * frames + t] = 0.05f;
                    w[mels * frames + m * frames + t] = -0.05f;
                }
            }
        }
        head.weight().value().copyFrom(w);
        head.bias().value().zero();
        return new Sequential(frontEnd, new Flatten(), head);
    }

    /** A 1 kHz tone in the first half of the clip and quiet noise throughout. */
    private static Tensor toneInFirstHalf() {
        float[] x = new float[SAMPLES];
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(1);
        for (int i = 0; i < SAMPLES; i++) {
            x[i] = (float) ((i < SAMPLES / 2 ? 0.5 * Math.sin(2 * Math.PI * 1000 * i / RATE) : 0) + 0.001 * (rnd.nextDouble() - 0.5));
        }
        return Tensor.of(x, 1, 1, 1, SAMPLES);
    }

    @Test
    void removingTheBandThatHoldsTheToneLowersItsClassMost() {
        try (Sequential net = detector(); Tensor x = toneInFirstHalf()) {
            net.eval();
            SoundExplanations.BandDrops drops = SoundExplanations.occlusionOverFrequency(net, x, RATE, 0, 12);
            int worst = 0;
            for (int b = 1; b < 12; b++) {
                worst = drops.drop()[b] > drops.drop()[worst] ? b : worst;
            }
            assertThat(drops.lowHz()[worst]).isLessThanOrEqualTo(1000f);
            assertThat(drops.highHz()[worst]).isGreaterThan(1000f);
            assertThat(drops.drop()[worst]).as("the probability of class 0 falls").isGreaterThan(0.3f);
            assertThat(drops.lowHz()[0]).isZero();
            assertThat(drops.highHz()[11]).isCloseTo(RATE / 2f, within(0.5f));
        }
    }

    @Test
    void silencingTheToneLowersItsClassAndSilencingQuietDoesNot() {
        try (Sequential net = detector(); Tensor x = toneInFirstHalf()) {
            net.eval();
            float[] drop = SoundExplanations.occlusionOverTime(net, x, 0, 800, 200, 0f);
            assertThat(drop).hasSize(SAMPLES);
            assertThat(drop[SAMPLES / 4]).isGreaterThan(0.05f);
            assertThat(Math.abs(drop[SAMPLES - 100])).isLessThan(0.01f);
            // at the spectrogram itself the class weights are positive where the tone is: only that time is lit
            float[] cam = SoundExplanations.gradCamOverTime(net, "0", x, 0);
            assertThat(cam).hasSize(SAMPLES);
            double toneHalf = 0, quietHalf = 0;
            for (int i = 0; i < SAMPLES / 2; i++) {
                toneHalf += cam[i];
                quietHalf += cam[SAMPLES / 2 + i];
            }
            assertThat(toneHalf).isGreaterThan(10 * quietHalf).isPositive();
        }
    }

    @Test
    void aSinusoidalFilterPeaksAtItsFrequency() {
        float[] taps = new float[80];
        for (int i = 0; i < taps.length; i++) {
            taps[i] = (float) (Math.sin(2 * Math.PI * 1000 * i / RATE) * (0.5 - 0.5 * Math.cos(2 * Math.PI * i / (taps.length - 1))));
        }
        float[] db = SoundPictures.magnitudeDb(taps, 129);
        int peak = 0;
        for (int p = 1; p < db.length; p++) {
            peak = db[p] > db[peak] ? p : peak;
        }
        assertThat(peak * (RATE / 2.0) / 128).isCloseTo(1000, within(40.0));
        assertThat(db[peak]).isZero();
        try (Tensor w = Tensor.of(taps, 1, 1, 1, 80)) {
            BufferedImage grid = SoundPictures.frequencyResponses(w, RATE);
            assertThat(grid.getWidth()).isGreaterThan(90);
        }
    }

    @Test
    void picturesAndBadArgumentsAreChecked() {
        float[] wave = new float[1000];
        assertThat(SoundPictures.waveform(wave, null, 200, 50).getWidth()).isEqualTo(200);
        assertThat(SoundPictures.spectrogram(new float[6], 2, 3, new float[6], 4).getHeight()).isEqualTo(8);
        assertThatThrownBy(() -> SoundPictures.waveform(wave, new float[3], 200, 50)).hasMessageContaining("3 heat values for 1000 samples");
        assertThatThrownBy(() -> SoundPictures.spectrogram(new float[5], 2, 3, null, 1)).hasMessageContaining("2 bands x 3 frames");
        try (Sequential net = detector(); Tensor image = Tensor.zeros(1, 1, 2, SAMPLES)) {
            assertThatThrownBy(() -> SoundExplanations.occlusionOverFrequency(net, image, RATE, 0, 4))
                    .hasMessageContaining("[1, 1, 1, samples]");
        }
        try (Sequential net = detector(); Tensor x = toneInFirstHalf()) {
            assertThatThrownBy(() -> SoundExplanations.occlusionOverFrequency(net, x, RATE, 0, 0)).hasMessageContaining("bands must be in 1..2000");
        }
    }
}
