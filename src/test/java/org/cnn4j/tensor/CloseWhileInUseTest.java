package org.cnn4j.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.kernels.Convolution;
import org.cnn4j.nn.Init;
import org.junit.jupiter.api.Test;

/**
 * A tensor closed while an op reads it is freed when the op ends, not under it: closing the input of a
 * long convolution running on another thread used to crash the JVM (SIGSEGV in native code reading
 * freed memory); now the convolution in flight finishes and the next one fails naming the tensor.
 */
class CloseWhileInUseTest {

    @Test
    void closingATensorInUseFreesItsMemoryWhenTheUseEnds() {
        Tensor t = Tensor.zeros(256, 1024).detach();
        long held = Tensor.liveBytes();
        TensorUse use = TensorUse.of("test op", t);
        t.close();
        assertThat(t.isClosed()).isTrue();
        assertThat(Tensor.liveBytes()).as("still held by the op").isEqualTo(held);
        assertThatThrownBy(() -> TensorUse.of("next op", t)).isInstanceOf(IllegalStateException.class)
                .hasMessage("next op: tensor [256, 1024] is closed");
        use.close();
        assertThat(Tensor.liveBytes()).as("freed when the op ends").isEqualTo(held - 256 * 1024 * Float.BYTES - 64);
    }

    @Test
    void aFailedHoldReleasesWhatItHeld() {
        Tensor open = Tensor.zeros(1024).detach(), closed = Tensor.zeros(8).detach();
        closed.close();
        long held = Tensor.liveBytes();
        assertThatThrownBy(() -> TensorUse.of("op", open, closed)).hasMessage("op: tensor [8] is closed");
        open.close();
        assertThat(Tensor.liveBytes()).as("the open tensor was released, so its close freed it").isLessThan(held);
    }

    @Test
    void closingTheInputOfAConvolutionRunningOnAnotherThreadDoesNotCrash() throws Exception {
        Conv2dSpec spec = Conv2dSpec.of(1, 64, 112, 112, 64, 3, 1, 1, 1, 1);
        Layout layout = Backends.current().activationLayout();
        Tensor input = Tensor.zeros(Shape.of(spec.inputDims()), layout).detach();
        Tensor output = Tensor.zeros(Shape.of(spec.outputDims()), layout).detach();
        Tensor weight = Tensor.zeros(spec.weightDims()).detach();
        Init.normal(input, 1);
        Init.normal(weight, 0.1);
        AtomicInteger done = new AtomicInteger();
        ExecutorService worker = Executors.newSingleThreadExecutor();
        try {
            Future<?> convolving = worker.submit(() -> {
                for (int i = 0; i < 10_000; i++) {
                    Convolution.forward(spec, input, weight, null, output);
                    done.incrementAndGet();
                }
            });
            while (done.get() < 2) {
                Thread.onSpinWait();
            }
            input.close(); // most likely while a convolution reads it: they follow each other without a gap
            assertThatThrownBy(() -> convolving.get(60, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalStateException.class)
                    .cause().hasMessageContaining("conv2d").hasMessageContaining("[1, 64, 112, 112] is closed");
        } finally {
            worker.shutdownNow();
            output.close();
            weight.close();
        }
    }
}
