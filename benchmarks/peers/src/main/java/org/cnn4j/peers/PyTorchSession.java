package org.cnn4j.peers;

import static org.bytedeco.pytorch.global.torch.MemoryFormat.ChannelsLast;

import java.nio.FloatBuffer;
import java.util.Arrays;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.AbstractTensor;
import org.bytedeco.pytorch.Adam;
import org.bytedeco.pytorch.AdamOptions;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.global.torch;
import org.cnn4j.bench.PeerSession;
import org.cnn4j.bench.PeerTask;

/**
 * One {@link PeerTask} in libtorch: the network's forward pass under {@link InferenceMode} (no autograd records) in
 * inference, or a training step: forward, {@code cross_entropy}, {@code backward}, Adam's step. 4-D inputs are
 * channels-last. Each pass runs in a {@link PointerScope}, so its intermediate tensors are freed when it ends rather than
 * when the Java garbage collector gets to them.
 */
final class PyTorchSession implements PeerSession {
    private final TorchNetwork network;
    private final Tensor input, labels;
    private final Adam adam;
    private final boolean softmax;

    PyTorchSession(PeerTask task) {
        network = new TorchNetwork(task.network(), task.training());
        long[] dims = Arrays.stream(task.dims()).asLongStream().toArray();
        Tensor x = AbstractTensor.create(task.input(), dims);
        input = dims.length == 4 ? x.contiguous(ChannelsLast) : x;
        if (task.training()) {
            labels = AbstractTensor.create(Arrays.stream(task.labels()).asLongStream().toArray(), dims[0]);
            adam = new Adam(network.parameters(), new AdamOptions(PeerTask.LEARNING_RATE));
        } else {
            labels = null;
            adam = null;
        }
        softmax = task.onnxFile() != null && task.onnxFile().endsInSoftmax();
    }

    @Override
    public float[] run() {
        if (adam == null) {
            try (InferenceMode guard = new InferenceMode(); PointerScope scope = new PointerScope()) {
                Tensor y = network.forward(input);
                return values(softmax ? torch.softmax(y, 1) : y);
            }
        }
        try (PointerScope scope = new PointerScope()) {
            adam.zero_grad();
            Tensor loss = torch.cross_entropy(network.forward(input), labels);
            loss.backward();
            adam.step();
            return new float[] {loss.item_float()};
        }
    }

    /** The values of {@code t} in logical (NCHW) order. */
    private static float[] values(Tensor t) {
        FloatBuffer b = t.contiguous().createBuffer();
        float[] v = new float[b.remaining()];
        b.get(v);
        return v;
    }

    @Override
    public void close() {
        if (adam != null) {
            adam.close();
        }
        input.close();
    }
}
