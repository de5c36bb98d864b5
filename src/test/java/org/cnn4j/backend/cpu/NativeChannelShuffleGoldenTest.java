package org.cnn4j.backend.cpu;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.reference.ReferenceBackend;
import org.cnn4j.kernels.Elementwise;
import org.cnn4j.tensor.Layout;
import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ShuffleNet's channel shuffle, native against the reference in both layouts (a permutation: exact), its
 * inverse (the shuffle with C / groups groups) restoring the input, and bad groups named.
 */
class NativeChannelShuffleGoldenTest {
    private static final List<int[]> CASES = List.of(new int[] {1, 1, 1, 1, 1}, new int[] {2, 6, 5, 7, 2}, new int[] {1, 6, 5, 7, 3},
            new int[] {3, 58, 7, 7, 2}, new int[] {2, 24, 1, 1, 4}, new int[] {1, 9, 13, 1, 9}, new int[] {0, 4, 3, 3, 2});

    @BeforeEach
    void load() {
        NativeTestSupport.requireNative();
    }

    @Test
    void nativeEqualsTheReferenceAndTheInverseRestores() {
        Backend nat = NativeBackend.instance(), ref = ReferenceBackend.INSTANCE;
        for (int[] c : CASES) {
            int[] d = Arrays.copyOf(c, 4);
            int groups = c[4];
            for (Layout layout : List.of(Layout.NCHW, Layout.NHWC)) {
                String what = layout + " " + Arrays.toString(d) + " in " + groups + " groups";
                try (Tensor x = NativeGoldenSupport.random(d, layout, 3); Tensor y = NativeGoldenSupport.zeros(d, layout);
                     Tensor yRef = NativeGoldenSupport.zeros(d, layout); Tensor back = NativeGoldenSupport.zeros(d, layout)) {
                    nat.channelShuffle(groups, x, y);
                    ref.channelShuffle(groups, x, yRef);
                    NativeGoldenSupport.assertExact(what, y.toArray(), yRef.toArray());
                    nat.channelShuffle(d[1] / groups, y, back);
                    NativeGoldenSupport.assertExact(what + " and back", back.toArray(), x.toArray());
                }
            }
        }
    }

    @Test
    void groupsThatDoNotDivideTheChannelsAreNamed() {
        try (Tensor x = Tensor.zeros(1, 6, 2, 2); Tensor y = Tensor.zeros(1, 6, 2, 2)) {
            assertThatThrownBy(() -> Elementwise.channelShuffle(4, x, y)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("channel shuffle").hasMessageContaining("6 channels").hasMessageContaining("got 4");
        }
    }
}
