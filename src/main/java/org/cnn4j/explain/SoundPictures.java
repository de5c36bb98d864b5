package org.cnn4j.explain;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.cnn4j.tensor.Tensor;

/**
 * Pictures of sound and of why a model hears what it hears: a waveform over a heat strip (weight per moment), a
 * spectrogram with a heat map blended over it (low frequencies at the bottom, as spectrograms are read), and the
 * frequency responses of a waveform model's first-layer filters — what each filter listens for.
 */
public final class SoundPictures {
    private SoundPictures() {
    }

    /**
     * The waveform as its envelope (minimum to maximum per pixel column) in black over a background coloured by
     * {@code heat} (one value per sample, blue low to red high; null: white), {@code width x height} pixels.
     */
    public static BufferedImage waveform(float[] samples, float[] heat, int width, int height) {
        if (heat != null && heat.length != samples.length) {
            throw new IllegalArgumentException("waveform picture: " + heat.length + " heat values for " + samples.length + " samples");
        }
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        float[] column = heat == null ? null : Pictures.normalized(SoundExplanations.meanPerPart(heat, width));
        float peak = 1e-6f;
        for (float v : samples) {
            peak = Math.max(peak, Math.abs(v));
        }
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        for (int x = 0; x < width; x++) {
            g.setColor(column == null ? Color.WHITE : blend(Color.WHITE, Pictures.colour(column[x]), 0.2f + 0.6f * column[x]));
            g.fillRect(x, 0, 1, height);
            int from = (int) ((long) x * samples.length / width), to = Math.max(from + 1, (int) ((long) (x + 1) * samples.length / width));
            float lo = Float.POSITIVE_INFINITY, hi = Float.NEGATIVE_INFINITY;
            for (int i = from; i < Math.min(to, samples.length); i++) {
                lo = Math.min(lo, samples[i]);
                hi = Math.max(hi, samples[i]);
            }
            int yHi = Math.round((0.5f - 0.45f * hi / peak) * (height - 1)), yLo = Math.round((0.5f - 0.45f * lo / peak) * (height - 1));
            g.setColor(Color.BLACK);
            g.drawLine(x, yHi, x, yLo);
        }
        g.dispose();
        return out;
    }

    /**
     * A spectrogram of {@code bands x frames} values (row 0 the lowest band) drawn with low frequencies at the
     * bottom, {@code scale} pixels per value, with {@code heat} of the same size blended over it (null: gray only).
     */
    public static BufferedImage spectrogram(float[] values, int bands, int frames, float[] heat, int scale) {
        if (values.length != bands * frames || (heat != null && heat.length != values.length)) {
            throw new IllegalArgumentException("spectrogram picture: " + values.length + " values" + (heat == null ? "" : " and "
                    + heat.length + " heat values") + " for " + bands + " bands x " + frames + " frames");
        }
        float[] v = flipped(values, bands, frames);
        return heat == null ? Pictures.gray(v, bands, frames, scale) : Pictures.heatOverlay(v, flipped(heat, bands, frames), bands, frames, scale);
    }

    /**
     * The magnitude response (dB, each filter against its own peak, from 0 Hz to the Nyquist frequency) of every
     * filter of a 1-D convolution weight [K, C, 1, k] averaged over its input channels, one small plot per filter,
     * ordered by the frequency it responds to most and captioned with that frequency.
     */
    public static BufferedImage frequencyResponses(Tensor weight, int sampleRate) {
        if (weight.rank() != 4 || weight.dim(2) != 1) {
            throw new IllegalArgumentException("frequency responses: need a 1-D convolution weight [K, C, 1, k], got " + weight.shape());
        }
        int k = weight.dim(0), points = 128;
        List<float[]> responses = new ArrayList<>();
        for (float[] taps : Pictures.meanOverInputChannels(weight)) {
            responses.add(magnitudeDb(taps, points));
        }
        List<Integer> order = new ArrayList<>();
        for (int f = 0; f < k; f++) {
            order.add(f);
        }
        order.sort(Comparator.comparingInt(f -> argmax(responses.get(f))));
        List<BufferedImage> tiles = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int f : order) {
            float[] db = responses.get(f);
            tiles.add(plot(db, 96, 48));
            double peakHz = (double) argmax(db) / (points - 1) * sampleRate / 2;
            captions.add(String.format(Locale.ROOT, "#%d %s", f, peakHz >= 1000 ? String.format(Locale.ROOT, "%.1f kHz", peakHz / 1000)
                    : String.format(Locale.ROOT, "%.0f Hz", peakHz)));
        }
        return Pictures.grid(tiles, captions, (int) Math.ceil(Math.sqrt(k)));
    }

    /** 20 log10 |H(f)| at {@code points} frequencies from 0 to the Nyquist frequency, 0 dB at the peak, floored at -60 dB. */
    static float[] magnitudeDb(float[] taps, int points) {
        double[] mag = new double[points];
        double peak = 1e-12;
        for (int p = 0; p < points; p++) {
            double omega = Math.PI * p / (points - 1), re = 0, im = 0;
            for (int i = 0; i < taps.length; i++) {
                re += taps[i] * Math.cos(omega * i);
                im -= taps[i] * Math.sin(omega * i);
            }
            mag[p] = Math.hypot(re, im);
            peak = Math.max(peak, mag[p]);
        }
        float[] db = new float[points];
        for (int p = 0; p < points; p++) {
            db[p] = (float) Math.max(-60, 20 * Math.log10(Math.max(mag[p], 1e-12) / peak));
        }
        return db;
    }

    /** A line plot of dB values (0 at the top, -60 at the bottom) on white. */
    private static BufferedImage plot(float[] db, int width, int height) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(new Color(220, 220, 220));
        g.drawRect(0, 0, width - 1, height - 1);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setStroke(new BasicStroke(1.2f));
        g.setColor(new Color(30, 80, 200));
        for (int p = 1; p < db.length; p++) {
            int x0 = (p - 1) * (width - 1) / (db.length - 1), x1 = p * (width - 1) / (db.length - 1);
            g.drawLine(x0, Math.round(-db[p - 1] / 60 * (height - 1)), x1, Math.round(-db[p] / 60 * (height - 1)));
        }
        g.dispose();
        return out;
    }

    private static int argmax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    private static float[] flipped(float[] v, int rows, int cols) {
        float[] out = new float[v.length];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(v, r * cols, out, (rows - 1 - r) * cols, cols);
        }
        return out;
    }

    private static Color blend(Color a, Color b, float t) {
        return new Color(Math.round((1 - t) * a.getRed() + t * b.getRed()), Math.round((1 - t) * a.getGreen() + t * b.getGreen()),
                Math.round((1 - t) * a.getBlue() + t * b.getBlue()));
    }
}
