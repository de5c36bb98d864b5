package org.cnn4j.nn;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.cnn4j.tensor.Tensor;

/**
 * Layers applied one after the other. Layers are named (given names, or their position "0", "1", ...)
 * so parameters read {@code conv1.weight}. Backward stops early below the last layer that has anything
 * to learn, and the first layer never computes an input gradient.
 */
public final class Sequential extends Module {
    private final Map<String, Module> layers = new LinkedHashMap<>();
    private final Set<String> fusedRelus = new HashSet<>(); // ReLU layers the last forward ran inside their batch norm

    public Sequential(Module... modules) {
        for (Module m : modules) {
            add(Integer.toString(layers.size()), m);
        }
    }

    /** Appends a named layer. */
    public Sequential add(String name, Module module) {
        if (name == null || name.isEmpty() || name.contains(".") || layers.containsKey(name)) {
            throw new IllegalArgumentException("Sequential: layer name '" + name + "' is empty, dotted or taken");
        }
        layers.put(name, module);
        return this;
    }

    /** Puts {@code module} in place of layer {@code name} (e.g. a new classifier head) and returns the layer it replaced, which the caller now owns. */
    public Module replace(String name, Module module) {
        Module old = get(name);
        layers.put(name, module);
        return old;
    }

    public Module get(String name) {
        Module m = layers.get(name);
        if (m == null) {
            throw new IllegalArgumentException("Sequential: no layer named '" + name + "' (layers: " + layers.keySet() + ")");
        }
        return m;
    }

    public List<String> names() {
        return new ArrayList<>(layers.keySet());
    }

    @Override
    public Map<String, Module> children() {
        return layers;
    }

    /**
     * Runs the layers in order. In training mode a batch norm followed by a ReLU layer runs as one op
     * ({@link BatchNorm2d#forwardRelu}), and the ReLU layer is skipped both ways.
     */
    @Override
    public Tensor forward(Tensor x) {
        return confined("forward", () -> run(x));
    }

    private Tensor run(Tensor x) {
        boolean needed = needsInputGrad();
        fusedRelus.clear();
        List<Map.Entry<String, Module>> list = new ArrayList<>(layers.entrySet());
        for (int i = 0; i < list.size(); i++) {
            String name = list.get(i).getKey();
            Module m = list.get(i).getValue();
            boolean fuse = m instanceof BatchNorm2d bn && bn.isTraining() && i + 1 < list.size() && ActivationLayer.isRelu(list.get(i + 1).getValue());
            m.setNeedsInputGrad(needed);
            needed = needed || !m.isFrozen();
            long t0 = Profiler.start();
            try {
                x = fuse ? ((BatchNorm2d) m).forwardRelu(x) : m.forward(x);
            } catch (IllegalArgumentException ex) { // say which layer: a shape that does not fit is the usual mistake
                throw new IllegalArgumentException("Sequential layer '" + name + "': " + ex.getMessage(), ex);
            }
            Profiler.stop(name, 0, t0);
            if (fuse) {
                fusedRelus.add(list.get(++i).getKey());
            }
        }
        return x;
    }

    @Override
    public Tensor backward(Tensor g) {
        return confined("backward", () -> runBackward(g));
    }

    private Tensor runBackward(Tensor g) {
        List<String> names = new ArrayList<>(layers.keySet());
        for (int i = names.size() - 1; i >= 0 && g != null; i--) {
            if (fusedRelus.contains(names.get(i))) {
                continue;
            }
            long t0 = Profiler.start();
            g = layers.get(names.get(i)).backward(g);
            Profiler.stop(names.get(i), 1, t0);
        }
        return needsInputGrad() ? g : null;
    }

    @Override
    protected Module newReplica() {
        Sequential r = new Sequential();
        layers.forEach((name, m) -> r.add(name, m.replica()));
        return r;
    }

    @Override
    public String describe() {
        StringBuilder sb = new StringBuilder("Sequential(");
        layers.forEach((n, m) -> sb.append("\n  ").append(n).append(": ").append(m.describe().replace("\n", "\n  ")));
        return sb.append("\n)").toString();
    }
}
