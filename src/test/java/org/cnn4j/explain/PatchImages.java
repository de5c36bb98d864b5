package org.cnn4j.explain;

import java.util.List;
import java.util.SplittableRandom;
import org.cnn4j.data.ImageDataset;

/**
 * A synthetic dataset where one small patch decides the class and we know where it is: every image
 * is Gaussian noise with one bright 5x5 pattern (class 0 a plus, 1 a diagonal cross, 2 a hollow square)
 * at a random place. The class does not depend on the place, so a map can only find the patch by
 * looking at the image.
 */
record PatchImages(ImageDataset data, int[] patchY, int[] patchX) {
    static final int SIZE = 20, PATCH = 5;
    private static final float NOISE = 0.25f, BRIGHT = 1.0f;

    static PatchImages generate(int count, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] pixels = new float[count * SIZE * SIZE];
        int[] labels = new int[count], ys = new int[count], xs = new int[count];
        for (int n = 0; n < count; n++) {
            int cls = n % 3, y0 = rnd.nextInt(SIZE - PATCH + 1), x0 = rnd.nextInt(SIZE - PATCH + 1);
            for (int i = 0; i < SIZE * SIZE; i++) {
                pixels[n * SIZE * SIZE + i] = (float) (NOISE * gaussian(rnd));
            }
            for (int dy = 0; dy < PATCH; dy++) {
                for (int dx = 0; dx < PATCH; dx++) {
                    if (inPattern(cls, dy, dx)) {
                        pixels[n * SIZE * SIZE + (y0 + dy) * SIZE + x0 + dx] += BRIGHT;
                    }
                }
            }
            labels[n] = cls;
            ys[n] = y0;
            xs[n] = x0;
        }
        return new PatchImages(new ImageDataset(pixels, labels, 1, SIZE, SIZE, List.of("plus", "cross", "square")), ys, xs);
    }

    /** Whether pixel (y, x) of image n lies on its patch. */
    boolean onPatch(int n, int y, int x) {
        return y >= patchY[n] && y < patchY[n] + PATCH && x >= patchX[n] && x < patchX[n] + PATCH;
    }

    private static boolean inPattern(int cls, int dy, int dx) {
        int c = PATCH / 2;
        return switch (cls) {
            case 0 -> dy == c || dx == c;
            case 1 -> dy == dx || dy == PATCH - 1 - dx;
            default -> dy == 0 || dx == 0 || dy == PATCH - 1 || dx == PATCH - 1;
        };
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
