package org.cnn4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.Init;
import org.cnn4j.nn.Module;
import org.cnn4j.zoo.Zoo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Options that size an allocation are checked against the heap first: an error naming the option, never an OutOfMemoryError. */
class OptionSizesTest {

    /** Runs the command line and returns what it printed on stderr, after checking the exit code is 2. */
    private static String fails(String... args) {
        PrintStream before = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.run(args)).as(String.join(" ", args)).isEqualTo(2);
        } finally {
            System.setErr(before);
        }
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void simulateRefusesCountsAndSizesTheHeapCannotHold(@TempDir Path dir) {
        String out = dir.resolve("sim").toString();
        assertThat(fails("simulate", "--size", "100000", "--count", "10", "--out", out))
                .contains("--size 100000 is more than the 8192 pixels a side");
        assertThat(fails("simulate", "--size", "8192", "--count", "2000000000", "--out", out))
                .contains("--count 2000000000 and --test-count 400000000 of --size 8192 would need").contains("MB Java heap (-Xmx)");
        assertThat(dir.resolve("sim")).doesNotExist();
    }

    @Test
    void topPatchesRefusesAScaleTheHeapCannotHold(@TempDir Path dir) throws Exception {
        Path model = dir.resolve("m.cnn4j");
        Init.manualSeed(5);
        try (Module net = Zoo.build("fmnist-cnn-small", 1, 28, 28, 10)) {
            ModelFile.write(model, new ModelFile.Saved("fmnist-cnn-small", 1, 28, 28, FashionMnist.CLASSES, net, List.of()));
        }
        assertThat(fails("top-patches", "--model-file", model.toString(), "--layer", "conv1", "--limit", "10", "--scale", "100000",
                "--out", dir.resolve("p.png").toString()))
                .contains("--scale 100000 with --filters 8 and --top 9 would need").contains("MB Java heap (-Xmx)");
        assertThat(fails("top-patches", "--model-file", model.toString(), "--filters", "2000000000", "--out", dir.resolve("p.png").toString()))
                .contains("--filters 2000000000 with --top 9 would need");
        assertThat(dir.resolve("p.png")).doesNotExist();
    }
}
