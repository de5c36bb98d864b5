package org.cnn4j.explain;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.Linear;
import org.cnn4j.nn.Sequential;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Every explanation refuses a class the model does not have and a noise that is not a finite number. */
class ExplanationArgumentsTest {

    @Test
    void aClassOutsideTheModelIsNamed() {
        try (Sequential net = new Sequential().add("flat", new Flatten()).add("fc", new Linear(64, 10)); Tensor x = Tensor.zeros(1, 1, 8, 8)) {
            for (int cls : new int[] {10, -1}) {
                assertThatThrownBy(() -> Explanations.occlusion(net, x, cls, 2, 2, 0f)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("class " + cls);
                assertThatThrownBy(() -> Explanations.saliency(net, x, cls)).hasMessageContaining("class " + cls);
            }
            assertThatThrownBy(() -> Explanations.smoothGrad(net, x, 0, 4, Float.POSITIVE_INFINITY, 1)).hasMessageContaining("Infinity");
            assertThatThrownBy(() -> Explanations.smoothGrad(net, x, 0, 4, Float.NaN, 1)).hasMessageContaining("NaN");
        }
    }
}
