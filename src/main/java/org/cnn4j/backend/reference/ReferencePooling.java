package org.cnn4j.backend.reference;

import org.cnn4j.backend.Pool2dSpec;

/**
 * Max and average pooling with PyTorch's definitions, in plain loops on NCHW arrays. A window covers
 * rows [i*stride - pad, i*stride - pad + kernel) clipped to the padded input; max pooling ignores the
 * padding and propagates NaN as PyTorch does, average pooling divides by the window size within the
 * padded input (count_include_pad) or by the number of real input elements.
 */
final class ReferencePooling {
    private ReferencePooling() {
    }

    static double[] forward(Pool2dSpec s, double[] x) {
        int oh = s.outH(), ow = s.outW();
        double[] y = new double[s.n() * s.c() * oh * ow];
        for (int p = 0; p < s.n() * s.c(); p++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    Window win = window(s, i, j);
                    double v;
                    if (s.kind() == Pool2dSpec.Kind.MAX) {
                        v = Double.NEGATIVE_INFINITY;
                        for (int r = win.h0; r < win.h1; r++) {
                            for (int q = win.w0; q < win.w1; q++) {
                                double here = x[(p * s.h() + r) * s.w() + q];
                                if (beats(here, v)) {
                                    v = here;
                                }
                            }
                        }
                    } else {
                        double sum = 0;
                        for (int r = win.h0; r < win.h1; r++) {
                            for (int q = win.w0; q < win.w1; q++) {
                                sum += x[(p * s.h() + r) * s.w() + q];
                            }
                        }
                        v = sum / win.divisor;
                    }
                    y[(p * oh + i) * ow + j] = v;
                }
            }
        }
        return y;
    }

    static double[] backward(Pool2dSpec s, double[] x, double[] gy) {
        return scatter(s, s.kind() == Pool2dSpec.Kind.MAX ? argmax(s, x) : null, gy);
    }

    /**
     * Whether a window element replaces the maximum so far: PyTorch's {@code val > maxval || isnan(val)},
     * so equal values keep the first and a NaN beats everything before it (the window's last NaN wins).
     */
    private static boolean beats(double here, double best) {
        return here > best || Double.isNaN(here);
    }

    /**
     * Per output (NCHW order), the position of its window's maximum as {@link #beats} picks it, row-major
     * in the window clipped to the input (0 for an empty window).
     */
    static int[] argmax(Pool2dSpec s, double[] x) {
        int oh = s.outH(), ow = s.outW();
        int[] at = new int[s.n() * s.c() * oh * ow];
        for (int p = 0; p < s.n() * s.c(); p++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    Window win = window(s, i, j);
                    int best = 0, k = 0;
                    double v = Double.NaN;
                    for (int r = win.h0; r < win.h1; r++) {
                        for (int q = win.w0; q < win.w1; q++, k++) {
                            double here = x[(p * s.h() + r) * s.w() + q];
                            if (k == 0 || beats(here, v)) {
                                best = k;
                                v = here;
                            }
                        }
                    }
                    at[(p * oh + i) * ow + j] = best;
                }
            }
        }
        return at;
    }

    /**
     * Each output gradient (NCHW order) spread over its window: all of it at the position {@code argmax}
     * gives for max pooling, an equal share per element for average pooling ({@code argmax} null).
     */
    static double[] scatter(Pool2dSpec s, int[] argmax, double[] gy) {
        int oh = s.outH(), ow = s.outW();
        double[] gx = new double[s.n() * s.c() * s.h() * s.w()];
        for (int p = 0; p < s.n() * s.c(); p++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    Window win = window(s, i, j);
                    int out = (p * oh + i) * ow + j, span = win.w1 - win.w0, k = argmax == null ? 0 : argmax[out];
                    for (int r = win.h0; r < win.h1; r++) {
                        for (int q = win.w0; q < win.w1; q++) {
                            if (argmax == null) {
                                gx[(p * s.h() + r) * s.w() + q] += gy[out] / win.divisor;
                            } else if ((r - win.h0) * span + q - win.w0 == k) {
                                gx[(p * s.h() + r) * s.w() + q] += gy[out];
                            }
                        }
                    }
                }
            }
        }
        return gx;
    }

    /** Global average pooling: the mean of each of the {@code planes} planes of {@code hw} values. */
    static double[] globalAvgForward(double[] x, int planes, int hw) {
        double[] y = new double[planes];
        for (int p = 0; p < planes; p++) {
            double sum = 0;
            for (int i = 0; i < hw; i++) {
                sum += x[p * hw + i];
            }
            y[p] = sum / hw;
        }
        return y;
    }

    static double[] globalAvgBackward(double[] gy, int planes, int hw) {
        double[] gx = new double[planes * hw];
        for (int p = 0; p < planes; p++) {
            for (int i = 0; i < hw; i++) {
                gx[p * hw + i] = gy[p] / hw;
            }
        }
        return gx;
    }

    /** The input rows/columns a window reads, and its average-pooling divisor. */
    private record Window(int h0, int h1, int w0, int w1, long divisor) {
    }

    /** In long: a window may reach past 2^31-1 (a huge kernel over a large input); its clipped ends fit an int. */
    private static Window window(Pool2dSpec s, int i, int j) {
        long hs = (long) i * s.strideH() - s.padH(), ws = (long) j * s.strideW() - s.padW();
        long he = Math.min(hs + s.kh(), (long) s.h() + s.padH()), we = Math.min(ws + s.kw(), (long) s.w() + s.padW());
        long padded = (he - hs) * (we - ws);
        int h0 = (int) Math.max(hs, 0), w0 = (int) Math.max(ws, 0), h1 = (int) Math.min(he, s.h()), w1 = (int) Math.min(we, s.w());
        long divisor = s.countIncludePad() ? padded : (long) (h1 - h0) * (w1 - w0);
        return new Window(h0, h1, w0, w1, Math.max(divisor, 1));
    }
}
