package org.cnn4j.explain;

import org.cnn4j.nn.Graph;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;

/**
 * The output of one named layer of a model (a Sequential layer or a Graph node) for a batch of
 * images, in eval mode: only the layers it depends on run.
 * The returned tensor belongs to the model and is valid until its next forward pass.
 */
public final class LayerOutput {
    private LayerOutput() {
    }

    public static Tensor of(Module model, String layer, Tensor images) {
        Graph graph = Graph.of(model, "layer output");
        if (!graph.nodeNames().contains(layer)) {
            throw new IllegalArgumentException("layer output: no layer '" + layer + "' (layers: " + graph.nodeNames() + ")");
        }
        model.eval();
        return graph.forwardTo(images, layer);
    }

    /** Like {@link #of} but requires feature maps [N, C, H, W], naming the layer and its shape otherwise. */
    public static Tensor featureMaps(Module model, String layer, Tensor images) {
        Tensor out = of(model, layer, images);
        if (out.rank() != 4) {
            throw new IllegalArgumentException("layer output: '" + layer + "' gives " + out.shape()
                    + ", not feature maps [N, C, H, W]; choose a convolution, activation or pooling layer");
        }
        return out;
    }
}
