package org.cnn4j.zoo;

import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.nn.ActivationLayer;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.GlobalAvgPool2d;
import org.cnn4j.nn.Graph;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Pool2d;

/**
 * GoogLeNet's Inception module (Szegedy et al., 2014) and a small network of them. A module runs four
 * branches on the same input and concatenates them along channels (a {@link Graph} Concat node): 1x1;
 * 1x1 reduce then 3x3; 1x1 reduce then 5x5; 3x3/1 max pool then 1x1 projection. Inception (3a) of the
 * paper, {@code block(g, "3a", x, 192, new Widths(64, 96, 128, 16, 32, 32), false)}, has 163,328 weights
 * (the paper's table: 159K) and costs 128 M MACs at 28x28.
 */
public final class Inception {
    /** The branch widths: 1x1, 3x3 reduce, 3x3, 5x5 reduce, 5x5, pool projection. */
    public record Widths(int c1, int r3, int c3, int r5, int c5, int pool) {
        public int out() {
            return c1 + c3 + c5 + pool;
        }
    }

    private Inception() {
    }

    /**
     * Adds Inception module {@code p} reading node {@code x} ({@code in} channels) and returns its output
     * node. With {@code batchNorm} every convolution is conv + BN + ReLU (no bias); without, conv with
     * bias + ReLU as in the paper.
     */
    public static String block(Graph g, String p, String x, int in, Widths w, boolean batchNorm) {
        String b1 = conv(g, p + "_1x1", x, in, w.c1(), 1, batchNorm);
        String b2 = conv(g, p + "_3x3", conv(g, p + "_3x3_reduce", x, in, w.r3(), 1, batchNorm), w.r3(), w.c3(), 3, batchNorm);
        String b3 = conv(g, p + "_5x5", conv(g, p + "_5x5_reduce", x, in, w.r5(), 1, batchNorm), w.r5(), w.c5(), 5, batchNorm);
        g.layer(p + "_pool", new Pool2d(Pool2dSpec.Kind.MAX, 3, 1, 1, false, true), x);
        String b4 = conv(g, p + "_pool_proj", p + "_pool", in, w.pool(), 1, batchNorm);
        g.concat(p + "_out", b1, b2, b3, b4);
        return p + "_out";
    }

    private static String conv(Graph g, String name, String x, int in, int out, int kernel, boolean batchNorm) {
        if (batchNorm) {
            return Layers.convBnRelu(g, name, x, in, out, kernel, 1, kernel / 2);
        }
        g.layer(name, Layers.conv(in, out, kernel, 1, kernel / 2, true), x).layer(name + "_relu", ActivationLayer.relu(), name);
        return name + "_relu";
    }

    /**
     * A small Inception net for small images such as Fashion-MNIST's 28x28 (86 k parameters, 28 M MACs): a
     * 3x3 conv + BN + ReLU stem, two Inception modules, a 3x3/2 max pool, two more modules, another
     * pool, global average pooling and a linear classifier.
     */
    public static Graph small(int channels, int height, int width, int classes) {
        if (height < 4 || width < 4) {
            throw new IllegalArgumentException("inception-small: input " + height + "x" + width + " is too small (at least 4x4)");
        }
        Graph g = new Graph("input");
        String x = Layers.convBnRelu(g, "stem", "input", channels, 32, 3, 1, 1);
        Widths[] modules = {new Widths(16, 16, 24, 4, 8, 8), new Widths(24, 24, 32, 8, 16, 16),
                            new Widths(32, 32, 48, 8, 16, 16), new Widths(48, 32, 64, 12, 24, 24)};
        String[] names = {"inc1a", "inc1b", "inc2a", "inc2b"};
        int in = 32;
        for (int i = 0; i < modules.length; i++) {
            x = block(g, names[i], x, in, modules[i], true);
            in = modules[i].out();
            if (i % 2 == 1) {
                g.layer("pool" + (i / 2 + 1), new Pool2d(Pool2dSpec.Kind.MAX, 3, 2, 1, false, true), x);
                x = "pool" + (i / 2 + 1);
            }
        }
        g.layer("avgpool", new GlobalAvgPool2d(), x).layer("flatten", new Flatten(), "avgpool").layer("fc", new Linear(in, classes), "flatten");
        return g;
    }
}
