package org.cnn4j.explain;

import java.util.List;
import org.cnn4j.nn.Graph;
import org.cnn4j.nn.Module;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Tensor;

/**
 * The output of one named layer of a model (a Sequential layer or a Graph node) for a batch of
 * images, in eval mode. A Sequential runs only the layers up to the named one; a Graph runs whole.
 * The returned tensor belongs to the model and is valid until its next forward pass.
 */
public final class LayerOutput {
    private LayerOutput() {
    }

    public static Tensor of(Module model, String layer, Tensor images) {
        model.eval();
        if (model instanceof Sequential seq) {
            List<String> names = seq.names();
            if (!names.contains(layer)) {
                throw new IllegalArgumentException("layer output: no layer '" + layer + "' (layers: " + names + ")");
            }
            Tensor x = images;
            for (String name : names) {
                x = seq.get(name).forward(x);
                if (name.equals(layer)) {
                    return x;
                }
            }
        }
        if (model instanceof Graph graph) {
            if (!graph.nodeNames().contains(layer)) {
                throw new IllegalArgumentException("layer output: no node '" + layer + "' (nodes: " + graph.nodeNames() + ")");
            }
            graph.forward(images);
            return graph.valueOf(layer);
        }
        throw new IllegalArgumentException("layer output: needs a Sequential or Graph model, got " + model.getClass().getSimpleName());
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
