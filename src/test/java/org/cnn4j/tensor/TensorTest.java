package org.cnn4j.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.FloatBuffer;
import org.junit.jupiter.api.Test;

class TensorTest {

    @Test
    void memoryIndexFindsEachLogicalElementInEitherLayout() {
        float[] values = new float[2 * 3 * 4 * 5];
        for (int i = 0; i < values.length; i++) {
            values[i] = i;
        }
        for (Layout layout : Layout.values()) {
            if (layout == Layout.PLAIN) {
                continue;
            }
            try (Tensor t = Tensor.zeros(Shape.of(2, 3, 4, 5), layout).copyFrom(values)) {
                for (int i = 0; i < values.length; i++) {
                    assertThat(t.buffer().get(t.memoryIndex(i))).as("%s element %d", layout, i).isEqualTo(values[i]);
                }
            }
        }
    }

    @Test
    void holdsDataOffHeapAlignedTo64Bytes() {
        for (int n = 1; n < 40; n += 3) {
            try (Tensor t = Tensor.zeros(n)) {
                FloatBuffer b = t.buffer();
                assertThat(b.isDirect()).isTrue();
                assertThat(b.capacity()).isEqualTo(n);
                assertThat(new org.bytedeco.javacpp.FloatPointer(b).address() % 64).as("alignment of %d floats", n).isZero();
            }
        }
        try (Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3)) {
            assertThat(t.toArray()).containsExactly(1, 2, 3, 4, 5, 6);
            assertThat(t.get(1, 2)).isEqualTo(6f);
        }
    }

    @Test
    void useAfterCloseThrowsNamingTheOp() {
        Tensor t = Tensor.zeros(2, 2);
        Tensor view = t.reshape(4);
        t.close();
        assertThat(t.isClosed()).isTrue();
        assertThat(view.isClosed()).as("a view dies with its base").isTrue();
        assertThatThrownBy(t::buffer).isInstanceOf(IllegalStateException.class).hasMessageContaining("buffer").hasMessageContaining("closed");
        assertThatThrownBy(() -> view.get(0)).isInstanceOf(IllegalStateException.class);
        t.close(); // closing twice is harmless
    }

    @Test
    void aFrozenTensorAndItsViewsAreReadOnlyForGood() {
        try (Tensor t = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2); Tensor other = Tensor.zeros(2, 2)) {
            Tensor row = t.narrow(1, 1);
            assertThat(t.isFrozen()).isFalse();
            assertThat(t.frozenId()).isZero();
            t.freeze();
            assertThat(row.isFrozen()).as("views share the frozen memory").isTrue();
            assertThat(t.frozenId()).isNotZero().isEqualTo(row.frozenId()).isNotEqualTo(other.freeze().frozenId());
            long id = t.frozenId();
            assertThat(t.freeze().frozenId()).as("freezing again keeps the id").isEqualTo(id);
            assertThat(t.buffer().isReadOnly()).isTrue();
            assertThatThrownBy(() -> t.buffer().put(0, 9f)).isInstanceOf(java.nio.ReadOnlyBufferException.class);
            assertThatThrownBy(() -> row.set(9f, 0, 0)).isInstanceOf(IllegalStateException.class).hasMessageContaining("set").hasMessageContaining("frozen");
            assertThatThrownBy(() -> t.fill(0f)).isInstanceOf(IllegalStateException.class).hasMessageContaining("fill");
            assertThatThrownBy(() -> t.copyFrom(new float[4])).isInstanceOf(IllegalStateException.class).hasMessageContaining("copyFrom");
            assertThatThrownBy(() -> t.copyFrom(other)).isInstanceOf(IllegalStateException.class).hasMessageContaining("copyFrom");
            assertThat(t.toArray()).containsExactly(1, 2, 3, 4);
            try (Tensor copy = t.copy()) {
                assertThat(copy.isFrozen()).as("a copy is writable").isFalse();
                copy.set(9f, 0, 0);
                assertThat(copy.toArray()).containsExactly(9, 2, 3, 4);
            }
        }
    }

    @Test
    void viewsShareMemoryWithoutCopies() {
        try (Tensor t = Tensor.zeros(4, 3)) {
            Tensor rows = t.narrow(1, 2);
            rows.set(7f, 0, 1);
            assertThat(t.get(1, 1)).isEqualTo(7f);
            Tensor flat = t.reshape(12);
            assertThat(flat.get(4)).isEqualTo(7f);
            rows.close(); // closing a view does not free the base
            assertThat(t.isClosed()).isFalse();
        }
    }

    @Test
    void layoutConversionKeepsLogicalValues() {
        float[] v = new float[2 * 3 * 4 * 5];
        for (int i = 0; i < v.length; i++) {
            v[i] = i;
        }
        try (Tensor nchw = Tensor.of(v, 2, 3, 4, 5); Tensor nhwc = nchw.toLayout(Layout.NHWC)) {
            assertThat(nhwc.layout()).isEqualTo(Layout.NHWC);
            assertThat(nhwc.toArray()).containsExactly(v);
            assertThat(nhwc.get(1, 2, 3, 4)).isEqualTo(nchw.get(1, 2, 3, 4));
            // memory order is channels-last: the first elements are channel 0,1,2 of pixel (0,0)
            assertThat(nhwc.buffer().get(1)).isEqualTo(nchw.get(0, 1, 0, 0));
            try (Tensor back = Tensor.zeros(Shape.of(2, 3, 4, 5), Layout.NCHW)) {
                back.copyFrom(nhwc);
                assertThat(back.toArray()).containsExactly(v);
            }
        }
    }

    @Test
    void scopeFreesEverythingButDetachedTensors() {
        Tensor kept;
        Tensor freed;
        try (TensorScope scope = TensorScope.open()) {
            freed = Tensor.zeros(3);
            kept = Tensor.zeros(3).detach();
            try (TensorScope inner = TensorScope.open()) {
                Tensor.zeros(1);
            }
        }
        assertThat(freed.isClosed()).isTrue();
        assertThat(kept.isClosed()).isFalse();
        kept.close();
    }

    @Test
    void badShapesAndDataAreRejected() {
        assertThatThrownBy(() -> Tensor.zeros(2, -1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
        assertThatThrownBy(() -> Tensor.of(new float[3], 2, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 values").hasMessageContaining("[2, 2]");
        try (Tensor t = Tensor.zeros(2, 2)) {
            assertThatThrownBy(() -> t.reshape(3)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reshape");
            assertThatThrownBy(() -> t.narrow(1, 2)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("narrow");
            assertThatThrownBy(() -> t.get(2, 0)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> t.copyFrom((float[]) null)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
