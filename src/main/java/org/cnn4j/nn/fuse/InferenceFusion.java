package org.cnn4j.nn.fuse;

import org.cnn4j.nn.Graph;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Sequential;

/**
 * Makes an inference copy of a network by the inference passes in turn: {@link BatchNormFolding} (conv +
 * BN + ReLU as one convolution), {@link ConvAddReluPass} (a residual block's conv + add + ReLU as one),
 * {@link ConvMaxPoolPass} (a convolution and the 2x2 max pooling after it as one) and {@link FlattenLinearPass}
 * (a fully connected head that reads a channels-last map without a reorder).
 * The copy shares nothing with the original that training could change: fused convolutions have their
 * own parameters; the other layers are the original objects (so keep using the original for training
 * and the copy for inference, not both at once). Its {@link Graph#absorbed()} says which original nodes
 * run inside which fused ones.
 */
public final class InferenceFusion {
    private InferenceFusion() {
    }

    /** The fused copy of a network (a module that is not a graph is returned as it is). */
    public static Module fuse(Module net) {
        return net instanceof Graph g ? fuse(g) : net;
    }

    public static Graph fuse(Graph net) {
        Graph out = FlattenLinearPass.apply(ConvMaxPoolPass.apply(ConvAddReluPass.apply(BatchNormFolding.apply(net))));
        out.eval();
        return out;
    }

    /**
     * {@link #fuse} without {@link ConvMaxPoolPass}: every max pooling stays a layer of its own, as the int8 and bf16
     * planners need (their convolution kernels do not pool).
     */
    public static Graph fuseKeepingPools(Graph net) {
        Graph out = FlattenLinearPass.apply(ConvAddReluPass.apply(BatchNormFolding.apply(net)));
        out.eval();
        return out;
    }

    public static Sequential fuse(Sequential net) {
        return (Sequential) fuse((Graph) net);
    }
}
