package org.cnn4j.optim;

import java.util.ArrayList;
import java.util.List;
import org.cnn4j.backend.SgdSpec;
import org.cnn4j.kernels.Optimizers;
import org.cnn4j.nn.Parameter;
import org.cnn4j.tensor.Tensor;

/** Stochastic gradient descent with momentum, dampening, Nesterov and weight decay (torch.optim.SGD). */
public final class Sgd extends Optimizer {
    private final float momentum, dampening, weightDecay;
    private final boolean nesterov;
    private final List<Tensor> buffers = new ArrayList<>();
    private final int[] stepsOf;

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
        stepsOf = new int[this.params.size()];
    }

    public Sgd(List<Parameter> params, float lr, float momentum) {
        this(params, lr, momentum, 0, 0, false);
    }

    @Override
    protected void update(int i, Parameter p) {
        Optimizers.sgdStep(new SgdSpec(lr, momentum, dampening, weightDecay, nesterov), ++stepsOf[i], p.value(), p.grad(), buffers.get(i));
    }

    @Override
    public void close() {
        buffers.stream().filter(b -> b != null).forEach(Tensor::close);
    }
}
