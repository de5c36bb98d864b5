package org.cnn4j.nn;

import org.cnn4j.kernels.Elementwise;
import org.cnn4j.tensor.Tensor;

/**
 * The execution state of a {@link Graph}, apart from its structure: the value of every slot in the
 * last forward pass, which slots need a gradient, the gradients of the last backward pass and the sums
 * it owns where several readers send a node gradients.
 */
final class GraphRunner {
    private Graph plan; // the structure the last forward ran: the graph, or its training-time fused copy
    private Tensor[] values, grads, sums;
    private boolean[] needsGrad;

    Graph plan() {
        return plan;
    }

    /**
     * Runs {@code plan}'s nodes on {@code x} and returns slot {@code target}'s value; only the nodes it
     * depends on run when {@code onlyNeeded}.
     */
    Tensor forward(Graph plan, Tensor x, boolean inputNeedsGrad, int target, boolean onlyNeeded) {
        Topology t = plan.topology();
        if (this.plan == null || this.plan.topology() != t) {
            release();
            values = new Tensor[t.names.length];
            grads = new Tensor[t.names.length];
            sums = new Tensor[t.names.length];
            needsGrad = new boolean[t.names.length];
        }
        this.plan = plan;
        java.util.Arrays.fill(values, null);
        java.util.Arrays.fill(grads, null);
        boolean[] run = onlyNeeded ? t.ancestors(target) : null;
        values[0] = x;
        needsGrad[0] = inputNeedsGrad;
        for (int i = 0; i < t.nodes(); i++) {
            if (run != null && !run[i + 1]) {
                continue;
            }
            Module m = t.modules[i];
            int[] in = t.inputs[i];
            boolean upstream = false;
            Tensor[] args = new Tensor[in.length];
            for (int k = 0; k < in.length; k++) {
                upstream |= needsGrad[in[k]];
                args[k] = values[in[k]];
            }
            m.setNeedsInputGrad(upstream);
            long t0 = Profiler.start();
            try {
                values[i + 1] = m instanceof Overwriting o && overwritable(t, i, o.overwritableInput()) ? o.forwardOver(args) : m.forward(args);
            } catch (IllegalArgumentException e) { // say where: shapes that do not meet are the usual mistake
                throw new IllegalArgumentException(plan.where(i) + ": " + e.getMessage(), e);
            }
            Profiler.stop(t.names[i + 1], 0, t0);
            needsGrad[i + 1] = upstream || !m.isFrozen();
        }
        return values[target];
    }

    /**
     * Whether node {@code i} may write its output over its input {@code k}: no later node, no other
     * input of {@code i}, neither the graph's input (the caller's tensor) nor its output reads that
     * value or a value sharing its memory.
     */
    private boolean overwritable(Topology t, int i, int k) {
        if (k < 0) {
            return false;
        }
        Tensor victim = values[t.inputs[i][k]];
        for (int s = 0; s < values.length; s++) {
            boolean readLater = s == 0 || s == t.output || t.lastReader[s] > i || isOtherInput(t.inputs[i], k, s);
            if (readLater && values[s] != null && values[s].sharesMemoryWith(victim)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isOtherInput(int[] inputs, int k, int slot) {
        for (int j = 0; j < inputs.length; j++) {
            if (j != k && inputs[j] == slot) {
                return true;
            }
        }
        return false;
    }

    /** Back from the output's gradient through the nodes that need one; returns the input's gradient, or null. */
    Tensor backward(Tensor gradOutput, boolean inputGradNeeded) {
        if (plan == null) {
            throw new IllegalStateException("backward before forward");
        }
        Topology t = plan.topology();
        java.util.Arrays.fill(grads, null);
        grads[t.output] = gradOutput;
        for (int i = t.nodes() - 1; i >= 0; i--) {
            Tensor g = grads[i + 1];
            if (g == null || !needsGrad[i + 1]) {
                continue;
            }
            long t0 = Profiler.start();
            Tensor[] gin = t.modules[i].backwardInputs(g);
            Profiler.stop(t.names[i + 1], 1, t0);
            for (int k = 0; k < gin.length; k++) {
                accumulate(t.inputs[i][k], gin[k]);
            }
        }
        return inputGradNeeded ? grads[0] : null;
    }

    /** Adds gradient {@code g} flowing into {@code slot}; a second contribution goes into a sum this runner owns. */
    private void accumulate(int slot, Tensor g) {
        if (g == null || !needsGrad[slot]) {
            return;
        }
        Tensor previous = grads[slot];
        if (previous == null) {
            grads[slot] = g;
        } else if (previous == sums[slot]) {
            Elementwise.add(previous, g, previous);
        } else {
            sums[slot] = Module.ensure(sums[slot], g.layout(), g.dims());
            Elementwise.add(previous, g, sums[slot]);
            grads[slot] = sums[slot];
        }
    }

    /** Slot {@code slot}'s value in the last forward pass (null when it did not run). */
    Tensor value(int slot) {
        return values == null ? null : values[slot];
    }

    /** Slot {@code slot}'s gradient in the last backward pass (null when none reached it). */
    Tensor gradient(int slot) {
        return grads == null ? null : grads[slot];
    }

    void release() {
        if (sums != null) {
            Module.release(sums);
        }
        values = grads = sums = null;
        plan = null;
    }
}
