package org.cnn4j.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.cnn4j.backend.AdamSpec;
import org.cnn4j.kernels.Optimizers;
import org.cnn4j.nn.Parameter;
import org.cnn4j.tensor.Tensor;

/**
 * Adam (weight decay added to the gradient, torch.optim.Adam) or, with {@code decoupled}, AdamW
 * (weight decay applied to the parameter, torch.optim.AdamW).
 */
public final class Adam extends Optimizer {
    private final float beta1, beta2, eps, weightDecay;
    private final boolean decoupled;
    private final List<Tensor> m = new ArrayList<>(), v = new ArrayList<>();

    public Adam(List<Parameter> params, float lr, float beta1, float beta2, float eps, float weightDecay, boolean decoupled) {
        super(params, lr);
        new AdamSpec(lr, beta1, beta2, eps, weightDecay, decoupled); // validates
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
        for (Parameter p : this.params) {
            m.add(Tensor.zeros(p.value().dims()).detach());
            v.add(Tensor.zeros(p.value().dims()).detach());
        }
    }

    /** Adam with PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay. */
    public static Adam of(List<Parameter> params, float lr) {
        return new Adam(params, lr, 0.9f, 0.999f, 1e-8f, 0f, false);
    }

    /** AdamW with PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01. */
    public static Adam adamW(List<Parameter> params, float lr) {
        return new Adam(params, lr, 0.9f, 0.999f, 1e-8f, 0.01f, true);
    }

    @Override
    protected void update(int i, Parameter p, int step) {
        Optimizers.adamStep(new AdamSpec(rate(i), beta1, beta2, eps, weightDecay, decoupled), step, p.value(), p.grad(), m.get(i), v.get(i));
    }

    @Override
    public String kind() {
        return decoupled ? "adamw" : "adam";
    }

    @Override
    public Map<String, Tensor> state() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < m.size(); i++) {
            out.put(i + ".exp_avg", m.get(i));
            out.put(i + ".exp_avg_sq", v.get(i));
        }
        return out;
    }

    @Override
    public void close() {
        m.forEach(Tensor::close);
        v.forEach(Tensor::close);
    }
}
