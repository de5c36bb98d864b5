package org.cnn4j.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.cnn4j.nn.ActivationLayer;
import org.cnn4j.nn.Conv2d;
import org.cnn4j.nn.Flatten;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Pool2d;
import org.cnn4j.nn.Sequential;
import org.junit.jupiter.api.Test;

/** The measured receptive field equals the one layer arithmetic gives, on the active backend. */
class ReceptiveFieldTest {

    @Test
    void convConvPoolConvSeesTenPixelsWithAJumpOfTwo() {
        Init.manualSeed(4);
        try (Sequential net = new Sequential()
                .add("conv1", Conv2d.builder(1, 4, 3).padding(1).build()).add("relu1", ActivationLayer.relu())
                .add("conv2", Conv2d.builder(4, 4, 3).padding(1).build()).add("relu2", ActivationLayer.relu())
                .add("pool", Pool2d.max(2, 2))
                .add("conv3", Conv2d.builder(4, 6, 3).padding(1).build()).add("flatten", new Flatten())) {
            // conv2 row r sees input rows r-2..r+2; pool row p sees conv2 rows 2p..2p+1; conv3 row q sees pool rows q-1..q+1
            ReceptiveField f = ReceptiveField.measure(net, "conv3", 1, 20, 18);
            assertThat(f.rowStart()).hasSize(10);
            assertThat(f.colStart()).hasSize(9);
            for (int q = 0; q < 10; q++) {
                assertThat(f.rowStart()[q]).as("row %d", q).isEqualTo(Math.max(0, 2 * q - 4));
                assertThat(f.rowEnd()[q]).as("row %d", q).isEqualTo(Math.min(19, 2 * q + 5));
            }
            for (int q = 0; q < 9; q++) {
                assertThat(f.colStart()[q]).as("column %d", q).isEqualTo(Math.max(0, 2 * q - 4));
                assertThat(f.colEnd()[q]).as("column %d", q).isEqualTo(Math.min(17, 2 * q + 5));
            }
            assertThat(f.height()).isEqualTo(10);
            assertThat(f.width()).isEqualTo(10);
            assertThatThrownBy(() -> ReceptiveField.measure(net, "flatten", 1, 20, 18)).hasMessageContaining("'flatten'")
                    .hasMessageContaining("not feature maps");
            assertThatThrownBy(() -> ReceptiveField.measure(net, "conv9", 1, 20, 18)).hasMessageContaining("no layer 'conv9'");
        }
    }
}
