package org.cnn4j.backend.reference;

import org.cnn4j.backend.Conv2dSpec;

/**
 * Direct 2-D convolution in plain loops with double accumulation: the definition, not an algorithm.
 * Arrays are NCHW (input, output) and OIHW (weight, [K, C/groups, kh, kw]).
 */
final class ReferenceConvolution {
    private ReferenceConvolution() {
    }

    static double[] forward(Conv2dSpec s, double[] x, double[] w, double[] bias) {
        int oh = s.outH(), ow = s.outW(), cg = s.c() / s.groups(), kg = s.k() / s.groups();
        double[] y = new double[s.n() * s.k() * oh * ow];
        for (int n = 0; n < s.n(); n++) {
            for (int k = 0; k < s.k(); k++) {
                int g = k / kg;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double sum = bias == null ? 0 : bias[k];
                        for (int c = 0; c < cg; c++) {
                            int ci = g * cg + c;
                            for (int r = 0; r < s.kh(); r++) {
                                int ih = i * s.strideH() - s.padTop() + r * s.dilationH();
                                if (ih < 0 || ih >= s.h()) {
                                    continue;
                                }
                                for (int q = 0; q < s.kw(); q++) {
                                    int iw = j * s.strideW() - s.padLeft() + q * s.dilationW();
                                    if (iw >= 0 && iw < s.w()) {
                                        sum += x[((n * s.c() + ci) * s.h() + ih) * s.w() + iw] * w[((k * cg + c) * s.kh() + r) * s.kw() + q];
                                    }
                                }
                            }
                        }
                        y[((n * s.k() + k) * oh + i) * ow + j] = sum;
                    }
                }
            }
        }
        return y;
    }

    /** dL/dx for L = sum(y * gy): every output position scatters its gradient back through the taps. */
    static double[] backwardData(Conv2dSpec s, double[] gy, double[] w) {
        int oh = s.outH(), ow = s.outW(), cg = s.c() / s.groups(), kg = s.k() / s.groups();
        double[] gx = new double[s.n() * s.c() * s.h() * s.w()];
        for (int n = 0; n < s.n(); n++) {
            for (int k = 0; k < s.k(); k++) {
                int g = k / kg;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double d = gy[((n * s.k() + k) * oh + i) * ow + j];
                        for (int c = 0; c < cg; c++) {
                            int ci = g * cg + c;
                            for (int r = 0; r < s.kh(); r++) {
                                int ih = i * s.strideH() - s.padTop() + r * s.dilationH();
                                if (ih < 0 || ih >= s.h()) {
                                    continue;
                                }
                                for (int q = 0; q < s.kw(); q++) {
                                    int iw = j * s.strideW() - s.padLeft() + q * s.dilationW();
                                    if (iw >= 0 && iw < s.w()) {
                                        gx[((n * s.c() + ci) * s.h() + ih) * s.w() + iw] += d * w[((k * cg + c) * s.kh() + r) * s.kw() + q];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return gx;
    }

    /** dL/dw; {@code gbias} (length K, may be null) receives dL/db. */
    static double[] backwardWeights(Conv2dSpec s, double[] x, double[] gy, double[] gbias) {
        int oh = s.outH(), ow = s.outW(), cg = s.c() / s.groups(), kg = s.k() / s.groups();
        double[] gw = new double[s.k() * cg * s.kh() * s.kw()];
        for (int n = 0; n < s.n(); n++) {
            for (int k = 0; k < s.k(); k++) {
                int g = k / kg;
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        double d = gy[((n * s.k() + k) * oh + i) * ow + j];
                        if (gbias != null) {
                            gbias[k] += d;
                        }
                        for (int c = 0; c < cg; c++) {
                            int ci = g * cg + c;
                            for (int r = 0; r < s.kh(); r++) {
                                int ih = i * s.strideH() - s.padTop() + r * s.dilationH();
                                if (ih < 0 || ih >= s.h()) {
                                    continue;
                                }
                                for (int q = 0; q < s.kw(); q++) {
                                    int iw = j * s.strideW() - s.padLeft() + q * s.dilationW();
                                    if (iw >= 0 && iw < s.w()) {
                                        gw[((k * cg + c) * s.kh() + r) * s.kw() + q] += d * x[((n * s.c() + ci) * s.h() + ih) * s.w() + iw];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return gw;
    }
}
