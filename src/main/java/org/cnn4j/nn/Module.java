package org.cnn4j.nn;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Tensor;

/**
 * A layer or a network of layers, like torch.nn.Module. {@link #forward} returns an output the module
 * owns and reuses for the next call with the same batch size (a warmed-up step allocates nothing);
 * {@link #backward} takes the gradient of the loss with respect to that output and returns the
 * gradient with respect to the input (null when the input needs none, e.g. the first layer), after
 * writing the gradients of its parameters (overwriting them: there is nothing to zero between steps,
 * and a frozen parameter's gradient is left alone). Parameters are named ({@code layer.weight}) and listable;
 * {@link #train()} / {@link #eval()} switch modes; {@link #freeze()} stops gradients and updates.
 * <p><b>Threads.</b> A module keeps its activations (and a container its intermediate values) from one
 * call to the next, so it serves one thread at a time; {@link Sequential} and {@link Graph} throw
 * {@link IllegalStateException} when a second thread calls them while the first is inside. To run one
 * model from many threads, give each thread a {@link Predictor} (or share a {@link PredictorPool}):
 * a replica of the network with its own activations and the model's weights, shared, not copied.
 */
public abstract class Module implements AutoCloseable {
    private boolean training = true;
    private boolean needsInputGrad = true;
    private boolean replica; // shares its parameters and buffers with the module it replicates: closing it leaves them alone
    private final CallGuard guard = new CallGuard();

    public abstract Tensor forward(Tensor input);

    public abstract Tensor backward(Tensor gradOutput);

    /**
     * The output for the inputs of a graph node. A layer takes one input ({@link #forward(Tensor)}); a
     * merge such as {@link Add} or {@link Concat} overrides this and {@link #acceptsInputs}.
     */
    public Tensor forward(Tensor... inputs) {
        if (!acceptsInputs(inputs.length)) {
            throw new IllegalArgumentException(describe() + ": takes " + expectedInputs() + ", got " + inputs.length);
        }
        return forward(inputs[0]);
    }

    /**
     * The gradients with respect to each input of the last {@link #forward(Tensor...)}, in input order
     * (an entry is null when that input needs none).
     */
    public Tensor[] backwardInputs(Tensor gradOutput) {
        return new Tensor[] {backward(gradOutput)};
    }

    /** Whether a graph node may feed this module {@code count} inputs. */
    public boolean acceptsInputs(int count) {
        return count == 1;
    }

    /** What {@link #acceptsInputs} accepts, in words, for error messages. */
    public String expectedInputs() {
        return "one input";
    }

    /**
     * The shape of one example's output for inputs of the given per-example shapes ([C, H, W] or
     * [features], without the batch), worked out without running anything; a shape that does not fit
     * is an IllegalArgumentException saying what the module expects.
     */
    public int[] outputShape(int[]... inputs) {
        throw new UnsupportedOperationException(getClass().getName() + " does not say its output shape: override Module.outputShape");
    }

    /** Multiply-accumulates for one example (convolutions and linear layers count them, as published figures do). */
    public long macs(int[][] inputs, int[] output) {
        return 0;
    }

    /** The name {@link LayerRegistry} knows this module's type by in model files. */
    public String typeName() {
        return getClass().getSimpleName();
    }

    /** The hyper-parameters {@link LayerRegistry} rebuilds this module from (none by default). */
    public LayerConfig config() {
        return new LayerConfig(typeName());
    }

    /** This module's own parameters, by local name. */
    protected List<Parameter> ownParameters() {
        return List.of();
    }

    /** This module's own non-learnable state saved with the model (batch norm's running statistics). */
    protected Map<String, Tensor> ownBuffers() {
        return Map.of();
    }

    /** Sub-modules by name (containers override). */
    public Map<String, Module> children() {
        return Map.of();
    }

    /** Every parameter of this module and its children, named with dotted paths. */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (Parameter p : ownParameters()) {
            out.put(p.name(), p);
        }
        children().forEach((name, child) -> child.namedParameters().forEach((k, v) -> out.put(name + "." + k, v)));
        return out;
    }

    /** Every saved non-learnable tensor, named like parameters. */
    public Map<String, Tensor> namedBuffers() {
        Map<String, Tensor> out = new LinkedHashMap<>(ownBuffers());
        children().forEach((name, child) -> child.namedBuffers().forEach((k, v) -> out.put(name + "." + k, v)));
        return out;
    }

    public List<Parameter> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** The number of learnable values. */
    public long parameterCount() {
        return parameters().stream().mapToLong(p -> p.value().numel()).sum();
    }

    public Module train() {
        setTraining(true);
        return this;
    }

    public Module eval() {
        setTraining(false);
        return this;
    }

    private void setTraining(boolean on) {
        training = on;
        children().values().forEach(c -> c.setTraining(on));
    }

    public boolean isTraining() {
        return training;
    }

    /** No gradient, no update for any parameter of this module and its children. */
    public Module freeze() {
        parameters().forEach(p -> p.setFrozen(true));
        return this;
    }

    public Module unfreeze() {
        parameters().forEach(p -> p.setFrozen(false));
        return this;
    }

    /** Whether every parameter is frozen (true for modules without parameters). */
    public boolean isFrozen() {
        return parameters().stream().allMatch(Parameter::isFrozen);
    }

    /** Whether backward must compute the input gradient; false for the first layer saves its backward-data pass. */
    public boolean needsInputGrad() {
        return needsInputGrad;
    }

    public void setNeedsInputGrad(boolean needed) {
        needsInputGrad = needed;
    }

    /**
     * The guard at the top of every {@link #backward}: {@code forwarded} says whether a forward pass has
     * kept what the backward pass reads; without one, the error names the module instead of a
     * NullPointerException deep inside it.
     */
    protected final void requireForward(boolean forwarded) {
        if (!forwarded) {
            throw new IllegalStateException(describe() + ": backward before forward");
        }
    }

    /** A one-line description, e.g. "Conv2d(1->32, 3x3, stride 1, pad 1)". */
    public abstract String describe();

    /**
     * A module of the same configuration, in evaluation mode, whose parameters and buffers are this
     * module's (the same objects and tensors: no copy of the weights) and whose activations are its own,
     * for a {@link Predictor}. Closing the replica frees only its activations.
     */
    final Module replica() {
        Module r = newReplica();
        r.replica = true;
        r.training = false;
        return r;
    }

    /**
     * Marks this module as one that uses another module's parameters and buffers (a fused module a
     * pass made of them): closing it frees only what is its own.
     */
    protected final void sharesParameters() {
        replica = true;
    }

    /**
     * A new module like this one that uses this module's {@link Parameter}s and buffers themselves, and
     * its children's {@code replica()}s: what {@link Predictor} needs. A module of your own overrides it
     * to be used through a predictor.
     */
    protected Module newReplica() {
        throw new UnsupportedOperationException(getClass().getName() + " cannot be replicated for a Predictor: override Module.newReplica()");
    }

    /**
     * Runs {@code body} as a {@code call} ("forward", "backward") of this module by the calling thread, and
     * throws {@link IllegalStateException} naming the module when another thread is inside one. Containers
     * run their forward and backward through it.
     */
    protected final Tensor confined(String call, Supplier<Tensor> body) {
        guard.enter(() -> label() + " " + call);
        try {
            return body.get();
        } finally {
            guard.leave();
        }
    }

    /** The module in a few words for messages: a layer's description, or a container's type and size. */
    public String label() {
        String d = describe();
        return d.indexOf('\n') < 0 ? d : getClass().getSimpleName() + " of " + children().size() + " layers";
    }

    /** Frees parameters, buffers and owned activations (a replica's parameters and buffers belong to its model). */
    @Override
    public void close() {
        if (!replica) {
            ownParameters().forEach(Parameter::close);
            ownBuffers().values().forEach(Tensor::close);
        }
        children().values().forEach(Module::close);
    }

    /** {@code t} when it already has {@code dims}, else a new detached tensor of zeros (and {@code t} closed). */
    protected static Tensor ensure(Tensor t, int... dims) {
        return ensure(t, Layout.NCHW, dims);
    }

    /**
     * {@code t} when it already has {@code dims} and {@code layout} (for 4-D shapes; others are PLAIN),
     * else a new detached tensor of zeros (and {@code t} closed). Layers allocate their outputs in their
     * input's layout, so a channels-last input keeps the whole network channels-last.
     */
    protected static Tensor ensure(Tensor t, Layout layout, int... dims) {
        Layout want = dims.length == 4 ? (layout == Layout.NHWC ? Layout.NHWC : Layout.NCHW) : Layout.PLAIN;
        if (t != null && !t.isClosed() && t.layout() == want && java.util.Arrays.equals(t.dims(), dims)) {
            return t;
        }
        if (t != null) {
            t.close();
        }
        return Tensor.zeros(org.cnn4j.tensor.Shape.of(dims), want).detach();
    }

    protected static void release(Tensor... tensors) {
        for (Tensor t : tensors) {
            if (t != null) {
                t.close();
            }
        }
    }
}
