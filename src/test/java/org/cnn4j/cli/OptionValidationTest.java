package org.cnn4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every bad option value fails before the command does any work: exit code 2, one line naming the
 * option and the value, no stack trace. (The files named need not exist: the checks come first.)
 */
class OptionValidationTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "train --clip-norm -1                 | --clip-norm          | -1.0",
            "train --clip-norm 0                  | --clip-norm          | 0.0",
            "train --clip-norm NaN                | --clip-norm          | NaN",
            "train --lr NaN                       | --lr                 | NaN",
            "train --lr Infinity                  | --lr                 | Infinity",
            "train --lr 0                         | --lr                 | 0.0",
            "train --lr -0.1                      | --lr                 | -0.1",
            "train --warmup -1                    | --warmup             | -1.0",
            "train --warmup NaN                   | --warmup             | NaN",
            "train --early-stopping -1            | --early-stopping     | -1",
            "train --epochs 0                     | --epochs             | 0",
            "train --epochs -1                    | --epochs             | -1",
            "train --batch 0                      | --batch              | 0",
            "train --batch -5                     | --batch              | -5",
            "train --momentum 1                   | --momentum           | 1.0",
            "train --momentum -0.1                | --momentum           | -0.1",
            "train --momentum NaN                 | --momentum           | NaN",
            "train --weight-decay -1              | --weight-decay       | -1.0",
            "train --weight-decay Infinity        | --weight-decay       | Infinity",
            "train --image-size 100000            | --image-size         | 100000",
            "train --image-size 2                 | --image-size         | 2",
            "train --limit -1                     | --limit              | -1",
            "train --train-limit -1               | --train-limit        | -1",
            "train --epochs abc                   | --epochs             | abc",
            "train --optimizer rmsprop            | --optimizer          | rmsprop",
            "train --schedule linear              | --schedule           | linear",
            "finetune --from m --body-lr-scale Infinity | --body-lr-scale | Infinity",
            "finetune --from m --body-lr-scale -1 | --body-lr-scale      | -1.0",
            "finetune --from m --new-classes 0    | --new-classes        | 0",
            "finetune --from m --freeze-first -1  | --freeze-first       | -1",
            "finetune --from m --lr NaN           | --lr                 | NaN",
            "demo --epochs -1                     | --epochs             | -1",
            "demo --epochs 0                      | --epochs             | 0",
            "golden dir --relative-tolerance NaN  | --relative-tolerance | NaN",
            "golden dir --relative-tolerance -1   | --relative-tolerance | -1.0",
            "golden dir --algo fastest            | --algo               | fastest",
            "eval --model-file m --batch 0        | --batch              | 0",
            "eval --model-file pretrained/fmnist-cnn.cnn4j --limit -3 | --limit | -3",
            "activations --model-file m i --max-maps 0 | --max-maps      | 0",
            "explain --model-file m i --window 0  | --window             | 0",
            "explain --model-file m i --stride -2 | --stride             | -2",
            "explain --model-file pretrained/fmnist-cnn.cnn4j examples/sneaker.png --method guess | --method | guess",
            "explain --model-file pretrained/fmnist-cnn.cnn4j examples/sneaker.png --class 10 | --class | 10",
            "explain --model-file pretrained/fmnist-cnn.cnn4j examples/sneaker.png --class -1 | --class | -1",
            "top-patches --model-file m --top 0   | --top                | 0",
            "top-patches --model-file m --filters 0 | --filters          | 0",
            "report --model-file m --misclassified -1 | --misclassified  | -1",
            "features --model-file m --layer l --out o --split val | --split | val",
            "models --input 1x100000x100000       | --input              | 1x100000x100000",
            "models --classes 0                   | --classes            | 0",
            "bench compare a b --threshold NaN    | --threshold          | NaN",
            "bench compare a b --threshold 0      | --threshold          | 0.0",
            "bench --min-time NaN                 | --min-time           | NaN",
            "bench --rounds 0                     | --rounds             | 0",
            "bench --reps -1                      | --reps               | -1",
            "bench --mb -1                        | --mb                 | -1",
            "bench --direction sideways           | --direction          | sideways",
            "bench --gemm mkl                     | --gemm               | mkl",
            "bench --algo fastest                 | --algo               | fastest",
            "--threads 0 info                     | --threads            | 0",
            "--threads 7000 info                  | --threads            | 7000",
            "--threads abc info                   | --threads            | abc",
            "--backend foo info                   | --backend            | foo",
    })
    void failsNamingTheOptionAndTheValue(String commandLine, String option, String value) {
        String message = failure(commandLine);
        assertThat(message).contains(option).contains(value).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(message.lines()).as(message).hasSize(1);
    }

    @Test
    void aFloatOptionShowsTheValueAsTyped() {
        assertThat(failure("train --lr -0.1")).endsWith("got -0.1");
    }

    /** The error output of a command line that must fail with exit code 2. */
    private static String failure(String commandLine) {
        PrintStream oldErr = System.err, oldOut = System.out;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            code = Main.run(commandLine.trim().split(" +"));
        } finally {
            System.setErr(oldErr);
            System.setOut(oldOut);
        }
        String message = err.toString(StandardCharsets.UTF_8).strip();
        assertThat(code).as(message).isEqualTo(2);
        return message;
    }
}
