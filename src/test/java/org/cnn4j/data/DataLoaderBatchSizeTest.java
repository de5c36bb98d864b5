package org.cnn4j.data;

import static org.assertj.core.api.Assertions.assertThat;

import org.cnn4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** A batch size larger than the dataset gives one batch of every image, up to Integer.MAX_VALUE. */
class DataLoaderBatchSizeTest {

    @Test
    void aHugeBatchSizeIsOneBatchOfEverything() throws Exception {
        ImageDataset data = FashionMnist.sample(false).limit(5);
        for (int batch : new int[] {5, 6, 2_000_000_000, Integer.MAX_VALUE}) {
            try (DataLoader loader = new DataLoader(data, batch, false, 0, FashionMnist.MEAN, FashionMnist.STD)) {
                assertThat(loader.numBatches()).as("batch %d", batch).isEqualTo(1);
                Tensor[] b = loader.batch(0);
                assertThat(b[0].dim(0)).isEqualTo(5);
            }
        }
    }
}
