package org.cnn4j.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The one timing policy of {@code cnn4j bench}: its warm-up, its rounds and its median (no speed is checked). */
class TimingTest {

    @Test
    void theMedianIsTheMiddleValueAndTheUpperMiddleOfAnEvenCount() {
        assertThat(new Timing.Samples(new double[] {3, 1, 2}).median()).isEqualTo(2);
        assertThat(new Timing.Samples(new double[] {4, 1, 3, 2}).median()).isEqualTo(3);
        assertThat(Timing.Samples.of(List.of(5.0)).median()).isEqualTo(5);
        assertThatThrownBy(() -> new Timing.Samples(new double[0])).hasMessageContaining("no samples");
    }

    @Test
    void warmUpLastsAtLeastTwoCallsAndASecondBeforeTheTimedCalls() {
        AtomicInteger calls = new AtomicInteger();
        long start = System.nanoTime();
        Timing.Samples samples = Timing.ms(3, calls::incrementAndGet);
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(Timing.WARM_UP_NANOS);
        assertThat(samples.values()).hasSize(3);
        assertThat(calls.get()).isGreaterThanOrEqualTo(Timing.WARM_UP_CALLS + 3);
    }

    @Test
    void interleavedCodeRunsInTurnWithinTheRoundBounds() {
        StringBuilder order = new StringBuilder();
        List<Timing.Samples> samples = Timing.interleavedMs(List.of(() -> pause(order, 'A'), () -> pause(order, 'B')), 3, 3, 60);
        assertThat(samples).hasSize(2).allSatisfy(s -> assertThat(s.values()).hasSize(3));
        assertThat(order).endsWith("ABABAB");
    }

    /** Calls of a millisecond, so the second of warm-up leaves a short record. */
    private static void pause(StringBuilder order, char name) {
        order.append(name);
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
