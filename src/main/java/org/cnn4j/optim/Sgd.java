package org.cnn4j.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnn4j.backend.SgdSpec;
import org.cnn4j.kernels.Optimizers;
import org.cnn4j.nn.Parameter;
import org.cnn4j.tensor.Tensor;

/** Stochastic gradient descent with momentum, dampening, Nesterov and weight decay (torch.optim.SGD). */
public final class Sgd extends Optimizer {
    private final float momentum, dampening, weightDecay;
    private final boolean nesterov;
    private final List<Tensor> buffers = new ArrayList<>();

    public Sgd(List<Parameter> params, float lr, float momentum, float dampening, float weightDecay, boolean nesterov) {
        super(params, lr);
        new SgdSpec(lr, momentum, dampening, weightDecay, nesterov); // validates
        this.momentum = momentum;
        this.dampening = dampening;
        this.weightDecay = weightDecay;
        this.nesterov = nesterov;
        for (Parameter p : this.params) {
            buffers.add(momentum != 0 ? Tensor.zeros(p.value().dims()).detach() : null);
        }
    }

    public Sgd(List<Parameter> params, float lr, float momentum) {
        this(params, lr, momentum, 0, 0, false);
    }

    @Override
    protected void update(int i, Parameter p, int step) {
        Optimizers.sgdStep(new SgdSpec(rate(i), momentum, dampening, weightDecay, nesterov), step, p.value(), p.grad(), buffers.get(i));
    }

    @Override
    public String kind() {
        return "sgd";
    }

    @Override
    public Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < buffers.size(); i++) {
            if (buffers.get(i) != null) {
                out.put(i + ".momentum_buffer", buffers.get(i));
            }
        }
        return out;
    }

    @Override
    public void close() {
        buffers.stream().filter(b -> b != null).forEach(Tensor::close);
    }
}
