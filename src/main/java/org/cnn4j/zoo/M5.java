package org.cnn4j.zoo;

import org.cnn4j.nn.ActivationLayer;
import org.cnn4j.nn.BatchNorm1d;
import org.cnn4j.nn.Conv1d;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.GlobalAvgPool1d;
import org.cnn4j.nn.Graph;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Pool1d;
import org.cnn4j.nn.Sequential;

/**
 * Raw-waveform classifiers over signals [1, 1, L] (1 s of 8 kHz audio is L = 8000). {@link #m5} is M5
 * (Dai et al., 2017, "Very deep convolutional neural networks for raw waveforms", as the torchaudio
 * speech-command tutorial builds it): a wide 80-tap stride-16 convolution that learns a filter bank,
 * three more conv-BN-ReLU blocks with max pooling by 4, global average pooling and a linear classifier;
 * at L = 8000 the signal shrinks 8000 -> 496 -> 124 -> 124 -> 31 -> 31 -> 7 -> 7. {@link #m5Res} keeps the
 * stem and replaces the rest with three basic residual blocks (32, 64 and 128 channels, the last two
 * of stride 2 with a 1x1 convolution + BN projection on the skip), built with {@link Graph} as
 * {@link ResNet} is.
 */
public final class M5 {
    private static final int STEM_KERNEL = 80, STEM_STRIDE = 16;

    private M5() {
    }

    public static Sequential m5(int channels, int height, int width, int classes) {
        requireSignal("m5", height, width, 64); // three max pools by 4 need 64 samples after the stem
        Sequential s = new Sequential();
        s.add("conv1", new Conv1d.Builder(channels, 32, STEM_KERNEL).stride(STEM_STRIDE).build())
                .add("bn1", new BatchNorm1d(32)).add("relu1", ActivationLayer.relu()).add("pool1", Pool1d.max(4, 4));
        int[][] blocks = {{32, 32}, {32, 64}, {64, 64}};
        for (int b = 0; b < blocks.length; b++) {
            String i = Integer.toString(b + 2);
            s.add("conv" + i, new Conv1d.Builder(blocks[b][0], blocks[b][1], 3).padding(1).build()).add("bn" + i, new BatchNorm1d(blocks[b][1]))
                    .add("relu" + i, ActivationLayer.relu());
            if (b < 2) {
                s.add("pool" + i, Pool1d.max(4, 4));
            }
        }
        s.add("avgpool", new GlobalAvgPool1d()).add("flatten", new Flatten()).add("fc", new Linear(64, classes));
        return s;
    }

    public static Graph m5Res(int channels, int height, int width, int classes) {
        requireSignal("m5-res", height, width, 4); // the stem's max pool by 4 needs 4 samples
        Graph g = new Graph("input");
        g.layer("conv1", heNormal(new Conv1d.Builder(channels, 32, STEM_KERNEL).stride(STEM_STRIDE).bias(false).build()), "input")
                .layer("bn1", new BatchNorm1d(32), "conv1").layer("relu1", ActivationLayer.relu(), "bn1")
                .layer("pool1", Pool1d.max(4, 4), "relu1");
        String x = basicBlock(g, "block1", "pool1", 32, 32, 1);
        x = basicBlock(g, "block2", x, 32, 64, 2);
        x = basicBlock(g, "block3", x, 64, 128, 2);
        g.layer("avgpool", new GlobalAvgPool1d(), x).layer("flatten", new Flatten(), "avgpool").layer("fc", new Linear(128, classes), "flatten");
        return g;
    }

    /** conv k3(stride)+BN+ReLU, conv k3+BN, plus the shortcut (a 1x1 conv + BN where the shape changes), then ReLU. */
    private static String basicBlock(Graph g, String p, String x, int in, int out, int stride) {
        g.layer(p + "_conv1", heNormal(new Conv1d.Builder(in, out, 3).stride(stride).padding(1).bias(false).build()), x)
                .layer(p + "_bn1", new BatchNorm1d(out), p + "_conv1").layer(p + "_relu1", ActivationLayer.relu(), p + "_bn1")
                .layer(p + "_conv2", heNormal(new Conv1d.Builder(out, out, 3).padding(1).bias(false).build()), p + "_relu1")
                .layer(p + "_bn2", new BatchNorm1d(out), p + "_conv2");
        String shortcut = x;
        if (stride != 1 || in != out) {
            g.layer(p + "_proj", heNormal(new Conv1d.Builder(in, out, 1).stride(stride).bias(false).build()), x)
                    .layer(p + "_proj_bn", new BatchNorm1d(out), p + "_proj");
            shortcut = p + "_proj_bn";
        }
        g.add(p + "_sum", p + "_bn2", shortcut).layer(p + "_out", ActivationLayer.relu(), p + "_sum");
        return p + "_out";
    }

    /** He normal over the fan-out, as ResNet (the plain M5 keeps PyTorch's default, as the tutorial does). */
    private static Conv1d heNormal(Conv1d c) {
        Init.kaimingNormal(c.weight().value(), c.fanOut());
        return c;
    }

    /** A signal one pixel high, long enough to leave {@code afterStem} samples after the stride-16 stem. */
    private static void requireSignal(String model, int height, int width, int afterStem) {
        int least = STEM_KERNEL + (afterStem - 1) * STEM_STRIDE;
        if (height != 1 || width < least) {
            throw new IllegalArgumentException(model + ": input must be a signal [C, 1, L] with L >= " + least + ", got height " + height
                    + " and length " + width);
        }
    }
}
