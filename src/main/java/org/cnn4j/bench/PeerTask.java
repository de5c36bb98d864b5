package org.cnn4j.bench;

import org.cnn4j.nn.Module;

/**
 * What a {@link Peer} runs: cnn4j's own network (its weights are the peer's to copy, not to change), a batch of input
 * of shape {@code dims} (N, C, H, W) whose values are given in NCHW order, inference or a training step (Adam, learning
 * rate {@value #LEARNING_RATE}, softmax cross-entropy over {@code classes} classes against {@code labels}), on
 * {@code threads} threads. {@code onnxFile} is the ONNX file the network was imported from ({@code bench --onnx}), or
 * null: an engine that reads ONNX then runs the file itself, and every peer applies the softmax the file ends in.
 */
public record PeerTask(Module network, int[] dims, float[] input, boolean training, int[] labels, int classes, int threads,
                       OnnxFile onnxFile) {
    public static final double LEARNING_RATE = 1e-3;

    /**
     * An imported ONNX file: its bytes, whether its input is NHWC (as Keras writes it) or [N, C, L] (a 1-D model's, which
     * cnn4j takes as [N, C, 1, L]), whether it ends in a softmax.
     */
    public record OnnxFile(byte[] bytes, boolean channelsLastInput, boolean signalInput, boolean endsInSoftmax) {
    }

    public PeerTask {
        if (training && (labels == null || labels.length != dims[0])) {
            throw new IllegalArgumentException("peer task: a training step needs one label per image");
        }
    }

    public int batch() {
        return dims[0];
    }

    /** The shape of one input image (C, H, W). */
    public int[] sampleShape() {
        return java.util.Arrays.copyOfRange(dims, 1, dims.length);
    }

    /** The task's training or inference, as the bench's {@code --mode} says it. */
    public String mode() {
        return training ? "training" : "inference";
    }
}
