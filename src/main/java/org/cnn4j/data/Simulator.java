package org.cnn4j.data;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.Shape;
import java.awt.font.GlyphVector;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Procedural, labelled images to pretrain on: cheap, lower-fidelity data in the spirit of simulations.
 * Each image is a bright object on a dark background, like Fashion-MNIST's, drawn with Java2D
 * (off-screen, headless) at a random position, size, rotation and aspect, filled with a random
 * intensity gradient or outlined with a random stroke, then blurred and overlaid with noise:
 * {@link Kind#SHAPES} draws ten geometric shapes, {@link Kind#GLYPHS} the digits 0-9 in the JDK's
 * logical fonts. Image i is drawn from its own generator, seeded by (seed, i), so a dataset is the
 * same whatever the thread count.
 */
public final class Simulator {
    /** What to draw. */
    public enum Kind {
        SHAPES, GLYPHS;

        /** The kind named {@code name} (case-insensitive); the error lists the kinds. */
        public static Kind parse(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("simulator: unknown kind '" + name + "' (kinds: shapes, glyphs)");
            }
        }
    }

    private static final String[] FONTS = {Font.SANS_SERIF, Font.SERIF, Font.MONOSPACED, Font.DIALOG};

    private Simulator() {
    }

    /** {@code count} gray images of {@code size} x {@code size}, classes in turn (balanced), drawn from {@code seed}. */
    public static ImageDataset generate(Kind kind, int count, int size, long seed) {
        if (count <= 0 || size < 8) {
            throw new IllegalArgumentException("simulator: count must be > 0 and size >= 8, got count " + count + ", size " + size);
        }
        if ((long) count * size * size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("simulator: " + count + " images of " + size + "x" + size + " are more pixels than one array holds");
        }
        List<String> classes = kind == Kind.SHAPES ? SimulatedShapes.CLASSES : digits();
        float[] pixels = new float[count * size * size];
        int[] labels = new int[count];
        IntStream.range(0, count).parallel().forEach(i -> {
            SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + i);
            labels[i] = i % classes.size();
            float[] img = draw(kind, labels[i], size, rnd);
            System.arraycopy(img, 0, pixels, i * size * size, size * size);
        });
        return new ImageDataset(pixels, labels, 1, size, size, classes);
    }

    private static List<String> digits() {
        List<String> d = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            d.add(Integer.toString(i));
        }
        return List.copyOf(d);
    }

    private static float[] draw(Kind kind, int label, int size, SplittableRandom rnd) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        float background = (float) rnd.nextDouble(0, 0.15);
        g.setColor(gray(background));
        g.fillRect(0, 0, size, size);
        Shape unit = kind == Kind.SHAPES ? SimulatedShapes.outline(label, rnd.nextDouble(0.7, 1.3)) : glyph(label, rnd);
        double scale = size / 2.0 * rnd.nextDouble(0.5, 0.85), angle = kind == Kind.SHAPES ? rnd.nextDouble(2 * Math.PI)
                : Math.toRadians(rnd.nextDouble(-20, 20));
        AffineTransform at = new AffineTransform();
        at.translate(size / 2.0 + rnd.nextDouble(-0.12, 0.12) * size, size / 2.0 + rnd.nextDouble(-0.12, 0.12) * size);
        at.rotate(angle);
        at.scale(scale, scale);
        Shape shape = at.createTransformedShape(unit);
        float bright = (float) rnd.nextDouble(0.55, 1), dim = (float) rnd.nextDouble(0.3, bright);
        Rectangle2D box = shape.getBounds2D();
        g.setPaint(new GradientPaint((float) box.getMinX(), (float) box.getMinY(), gray(bright), (float) box.getMaxX(),
                (float) box.getMaxY(), gray(dim)));
        if (kind == Kind.GLYPHS || rnd.nextDouble() < 0.7) {
            g.fill(shape);
        } else {
            g.setStroke(new BasicStroke((float) rnd.nextDouble(1, 3), BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
            g.draw(shape);
        }
        g.dispose();
        float[] v = new float[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                v[y * size + x] = img.getRaster().getSample(x, y, 0) / 255f;
            }
        }
        return noisy(blur(v, size, rnd.nextDouble(0, 1.0)), rnd.nextDouble(0, 0.08), rnd);
    }

    /** Digit {@code label} as an outline centred on the origin, about 2 units tall, in a random font and style. */
    private static Shape glyph(int label, SplittableRandom rnd) {
        Font font = new Font(FONTS[rnd.nextInt(FONTS.length)], rnd.nextInt(4), 100);
        GlyphVector gv = font.createGlyphVector(new java.awt.font.FontRenderContext(null, true, true), Integer.toString(label));
        Shape s = gv.getOutline();
        Rectangle2D b = s.getBounds2D();
        double k = 2 / Math.max(b.getWidth(), b.getHeight());
        AffineTransform at = AffineTransform.getScaleInstance(k, k);
        at.translate(-b.getCenterX(), -b.getCenterY());
        return at.createTransformedShape(s);
    }

    private static Color gray(float v) {
        return new Color(v, v, v);
    }

    /** A separable Gaussian blur of standard deviation {@code sigma} pixels (none below 0.3). */
    private static float[] blur(float[] v, int size, double sigma) {
        if (sigma < 0.3) {
            return v;
        }
        int r = (int) Math.ceil(2 * sigma);
        float[] k = new float[2 * r + 1];
        float sum = 0;
        for (int i = -r; i <= r; i++) {
            k[i + r] = (float) Math.exp(-i * i / (2 * sigma * sigma));
            sum += k[i + r];
        }
        for (int i = 0; i < k.length; i++) {
            k[i] /= sum;
        }
        float[] tmp = new float[v.length], out = new float[v.length];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                float a = 0;
                for (int i = -r; i <= r; i++) {
                    a += k[i + r] * v[y * size + Math.min(size - 1, Math.max(0, x + i))];
                }
                tmp[y * size + x] = a;
            }
        }
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                float a = 0;
                for (int i = -r; i <= r; i++) {
                    a += k[i + r] * tmp[Math.min(size - 1, Math.max(0, y + i)) * size + x];
                }
                out[y * size + x] = a;
            }
        }
        return out;
    }

    /** Adds Gaussian noise of standard deviation {@code sigma} and clamps to [0, 1]. */
    private static float[] noisy(float[] v, double sigma, SplittableRandom rnd) {
        for (int i = 0; i < v.length; i++) {
            double u1 = rnd.nextDouble(), u2 = rnd.nextDouble();
            double n = Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
            v[i] = (float) Math.min(1, Math.max(0, v[i] + sigma * n));
        }
        return v;
    }
}
