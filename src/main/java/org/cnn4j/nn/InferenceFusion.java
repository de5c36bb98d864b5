package org.cnn4j.nn;

import org.cnn4j.backend.Activation;

/**
 * Makes an inference copy of a {@link Sequential} network: each convolution followed by batch norm has
 * the batch norm folded into its weights and bias, and a ReLU right after is fused into the same op
 * (a oneDNN post-op on the native backend), so conv + BN + ReLU costs one pass over the activations
 * instead of three. The copy shares nothing with the original that training could change: folded
 * convolutions get their own parameters; the other layers are the original objects (so keep using the
 * original for training and the copy for inference, not both at once).
 */
public final class InferenceFusion {
    private InferenceFusion() {
    }

    public static Sequential fuse(Sequential net) {
        Sequential out = new Sequential();
        java.util.List<String> names = net.names();
        for (int i = 0; i < names.size(); i++) {
            Module m = net.get(names.get(i));
            if (m instanceof Conv2d conv) {
                BatchNorm2d bn = null;
                int next = i + 1;
                if (next < names.size() && net.get(names.get(next)) instanceof BatchNorm2d b) {
                    bn = b;
                    next++;
                }
                boolean relu = next < names.size() && net.get(names.get(next)) instanceof ActivationLayer a
                        && a.activation().equals(Activation.RELU);
                out.add(names.get(i), conv.foldedWith(bn, relu));
                i = relu ? next : next - 1;
            } else {
                out.add(names.get(i), m);
            }
        }
        out.eval();
        return out;
    }
}
