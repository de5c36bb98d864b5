package org.cnn4j.backend.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.ConvDirection;
import org.junit.jupiter.api.Test;

/**
 * AUTO's list (ConvImplementationList, WinogradAutoRule) on the cases its rule documents: Winograd for 3x3
 * stride-1 layers of at least 16 channels a side and 16 tiles of 2x2, F(2x2) where F(4x4) has too few tiles or too
 * much filter per tile, oneDNN for everything else and wherever Winograd is not allowed. Needs no native library.
 */
class ConvAutoRuleTest {
    private final ConvImplementationList list = new ConvImplementationList();

    private ConvAlgorithm auto(ConvDirection direction, Conv2dSpec spec) {
        return list.automatic(direction, spec, true).algorithm();
    }

    @Test
    void autoTakesWinogradWhereItsRuleSays() {
        Conv2dSpec layer = Conv2dSpec.of(1, 64, 14, 14, 64, 3, 1, 1);
        assertThat(auto(ConvDirection.FORWARD, layer)).isEqualTo(ConvAlgorithm.WINOGRAD_4X4_3X3);
        assertThat(auto(ConvDirection.BACKWARD_WEIGHTS, layer)).isEqualTo(ConvAlgorithm.WINOGRAD_4X4_3X3);
        assertThat(auto(ConvDirection.BACKWARD_WEIGHTS, Conv2dSpec.of(128, 16, 28, 28, 16, 3, 1, 1))).as("16 channels")
                .isEqualTo(ConvAlgorithm.ONEDNN);
        assertThat(auto(ConvDirection.BACKWARD_WEIGHTS, Conv2dSpec.of(8, 512, 7, 7, 512, 3, 1, 1))).as("1.2 MiB of G per tile")
                .isEqualTo(ConvAlgorithm.WINOGRAD_2X2_3X3);
        assertThat(auto(ConvDirection.BACKWARD_DATA, layer)).isEqualTo(ConvAlgorithm.WINOGRAD_4X4_3X3);
        assertThat(auto(ConvDirection.FORWARD, Conv2dSpec.of(1, 64, 14, 14, 64, 3, 2, 1))).isEqualTo(ConvAlgorithm.ONEDNN);
        assertThat(auto(ConvDirection.FORWARD, Conv2dSpec.of(1, 512, 7, 7, 512, 3, 1, 1))).as("4 tiles of 4x4, 16 of 2x2")
                .isEqualTo(ConvAlgorithm.WINOGRAD_2X2_3X3);
        assertThat(auto(ConvDirection.FORWARD, Conv2dSpec.of(1, 64, 6, 6, 64, 3, 1, 1))).as("9 tiles of 2x2").isEqualTo(ConvAlgorithm.ONEDNN);
        assertThat(auto(ConvDirection.FORWARD, Conv2dSpec.of(1, 256, 14, 14, 256, 3, 1, 1))).as("590 KB of U per tile").isEqualTo(ConvAlgorithm.WINOGRAD_4X4_3X3);
        assertThat(auto(ConvDirection.FORWARD, Conv2dSpec.of(1, 512, 14, 14, 512, 3, 1, 1))).as("2.4 MB of U per tile").isEqualTo(ConvAlgorithm.WINOGRAD_2X2_3X3);
        assertThat(auto(ConvDirection.FORWARD, Conv2dSpec.of(128, 16, 28, 28, 16, 3, 1, 1))).as("16 channels, 16-wide panels")
                .isEqualTo(ConvAlgorithm.WINOGRAD_4X4_3X3);
        assertThat(auto(ConvDirection.BACKWARD_DATA, Conv2dSpec.of(128, 16, 28, 28, 16, 3, 1, 1))).as("16 channels")
                .isEqualTo(ConvAlgorithm.WINOGRAD_4X4_3X3);
        assertThat(auto(ConvDirection.BACKWARD_WEIGHTS, Conv2dSpec.of(128, 16, 28, 28, 32, 3, 1, 1))).as("16 -> 32 channels")
                .isEqualTo(ConvAlgorithm.WINOGRAD_4X4_3X3);
        assertThat(auto(ConvDirection.FORWARD, Conv2dSpec.of(128, 8, 28, 28, 16, 3, 1, 1))).as("8 channels").isEqualTo(ConvAlgorithm.ONEDNN);
        assertThat(auto(ConvDirection.FORWARD, Conv2dSpec.of(128, 32, 28, 28, 32, 3, 1, 1))).as("32 channels").isEqualTo(ConvAlgorithm.WINOGRAD_4X4_3X3);
        assertThat(auto(ConvDirection.FORWARD, Conv2dSpec.of(128, 1, 28, 28, 32, 3, 1, 1))).as("one input channel").isEqualTo(ConvAlgorithm.ONEDNN);
        for (ConvDirection d : ConvDirection.values()) {
            assertThat(list.automatic(d, layer, false).algorithm()).as("%s, Winograd not allowed", d).isEqualTo(ConvAlgorithm.ONEDNN);
            assertThat(list.autotuneCandidates(d, layer, false)).extracting(ConvImplementation::algorithm)
                    .containsExactly(ConvAlgorithm.IM2COL_GEMM, ConvAlgorithm.ONEDNN);
            assertThat(list.autotuneCandidates(d, layer, true)).extracting(ConvImplementation::algorithm)
                    .containsExactly(ConvAlgorithm.IM2COL_GEMM, ConvAlgorithm.ONEDNN, ConvAlgorithm.WINOGRAD_2X2_3X3,
                            ConvAlgorithm.WINOGRAD_4X4_3X3);
        }
    }

    /**
     * The 1-D rule (Winograd1dAutoRule): forward and backward-data from 32 channels, F(6,3) only for long signals (in a
     * batch, forward); backward-weights from 64.
     */
    @Test
    void autoTakesWinograd1dWhereItsRuleSays() {
        Conv2dSpec b64 = NativeWinograd1dGoldenTest.signal(64, 64, 62, 64, 3, 1, 1, 1);
        assertThat(auto(ConvDirection.FORWARD, b64)).isEqualTo(ConvAlgorithm.WINOGRAD_1D_F6_3);
        assertThat(auto(ConvDirection.FORWARD, NativeWinograd1dGoldenTest.signal(1, 64, 62, 64, 3, 1, 1, 1))).as("batch 1")
                .isEqualTo(ConvAlgorithm.WINOGRAD_1D_F4_3);
        assertThat(auto(ConvDirection.FORWARD, NativeWinograd1dGoldenTest.signal(64, 64, 7, 64, 3, 1, 1, 1))).as("L = 7")
                .isEqualTo(ConvAlgorithm.WINOGRAD_1D_F4_3);
        assertThat(auto(ConvDirection.BACKWARD_DATA, b64)).isEqualTo(ConvAlgorithm.WINOGRAD_1D_F6_3);
        assertThat(auto(ConvDirection.BACKWARD_DATA, NativeWinograd1dGoldenTest.signal(1, 64, 62, 64, 3, 1, 1, 1))).as("batch 1, long")
                .isEqualTo(ConvAlgorithm.WINOGRAD_1D_F6_3);
        assertThat(auto(ConvDirection.BACKWARD_DATA, NativeWinograd1dGoldenTest.signal(64, 64, 7, 64, 3, 1, 1, 1))).as("L = 7")
                .isEqualTo(ConvAlgorithm.WINOGRAD_1D_F4_3);
        assertThat(auto(ConvDirection.BACKWARD_WEIGHTS, b64)).isEqualTo(ConvAlgorithm.WINOGRAD_1D_F6_3);
        assertThat(auto(ConvDirection.BACKWARD_WEIGHTS, NativeWinograd1dGoldenTest.signal(64, 32, 124, 32, 3, 1, 1, 1))).as("32 channels")
                .isEqualTo(ConvAlgorithm.ONEDNN);
        assertThat(auto(ConvDirection.FORWARD, NativeWinograd1dGoldenTest.signal(64, 16, 124, 32, 3, 1, 1, 1))).as("16 channels")
                .isEqualTo(ConvAlgorithm.ONEDNN);
        assertThat(auto(ConvDirection.FORWARD, NativeWinograd1dGoldenTest.signal(64, 32, 124, 64, 3, 2, 1, 1))).as("stride 2")
                .isEqualTo(ConvAlgorithm.ONEDNN);
        assertThat(auto(ConvDirection.FORWARD, NativeWinograd1dGoldenTest.signal(64, 1, 8000, 32, 80, 16, 0, 0))).as("stem")
                .isEqualTo(ConvAlgorithm.ONEDNN);
        assertThat(list.automatic(ConvDirection.FORWARD, b64, false).algorithm()).as("Winograd not allowed").isEqualTo(ConvAlgorithm.ONEDNN);
    }
}
