package org.cnn4j.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.ExecutionOptions;
import org.cnn4j.backend.cpu.NativeBackend;
import org.cnn4j.nn.fuse.InferenceFusion;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two networks in one JVM, and two threads, run with different convolution options, with no global state to reset. */
class ExecutionOptionsTest {
    private static final ExecutionOptions WINOGRAD = ExecutionOptions.auto().withAlgorithm(ConvAlgorithm.WINOGRAD_4X4_3X3);

    @BeforeEach
    void nativeBackend() {
        assumeTrue(NativeBackend.isAvailable() && Backends.current() instanceof NativeBackend, "algorithms are the native backend's");
    }

    /** A strided 3x3 convolution, which Winograd cannot compute. */
    private static Sequential strided() {
        return new Sequential().add("conv", Conv2d.builder(4, 8, 3).stride(2).padding(1).build()).add("relu", ActivationLayer.relu());
    }

    private static Tensor input() {
        Random r = new Random(1);
        float[] v = new float[2 * 4 * 9 * 9];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        return Tensor.of(v, 2, 4, 9, 9);
    }

    @Test
    void eachNetworkRunsWithItsOwnOptions() {
        try (Sequential plain = strided(); Sequential winograd = strided().executionOptions(WINOGRAD);
             Tensor x = input()) {
            assertThatThrownBy(() -> winograd.forward(x)).isInstanceOf(UnsupportedOperationException.class)
                    .hasMessageContaining("WINOGRAD_4X4_3X3").hasMessageContaining("stride");
            assertThat(plain.forward(x).dims()).as("the other network is unaffected").containsExactly(2, 8, 5, 5);

            float[] followingTheCaller = winograd.executionOptions(null).forward(x).toArray();
            winograd.executionOptions(WINOGRAD.withFallBackToAuto(true));
            assertThat(winograd.forward(x).toArray()).containsExactly(followingTheCaller);
        }
    }

    @Test
    void copiesOfANetworkKeepItsOptions() {
        try (Sequential net = strided().executionOptions(WINOGRAD)) {
            net.eval();
            assertThat(InferenceFusion.fuse(net).executionOptions()).isEqualTo(WINOGRAD);
            assertThat(net.cut("conv").executionOptions()).isEqualTo(WINOGRAD);
        }
    }

    @Test
    void aCallScopeHoldsOnItsThreadOnly() throws Exception {
        ConvAlgorithm outside = ConvAlgorithm.current();
        ExecutionOptions onednn = ExecutionOptions.auto().withAlgorithm(ConvAlgorithm.ONEDNN).withWinograd(false);
        CompletableFuture<ConvAlgorithm> otherThread = new CompletableFuture<>();
        onednn.run(() -> {
            assertThat(ConvAlgorithm.current()).isEqualTo(ConvAlgorithm.ONEDNN);
            assertThat(ConvAlgorithm.winogradAllowed()).isFalse();
            Thread t = new Thread(() -> otherThread.complete(ConvAlgorithm.current()));
            t.start();
        });
        assertThat(otherThread.get()).isEqualTo(outside);
        assertThat(ConvAlgorithm.current()).isEqualTo(outside);
    }
}
