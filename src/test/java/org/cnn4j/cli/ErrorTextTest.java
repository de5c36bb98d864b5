package org.cnn4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

/** java.nio's file exceptions say only the path; the CLI's one-line errors add the reason. */
class ErrorTextTest {

    @Test
    void fileErrorsNameTheFileAndTheReason() {
        assertThat(ErrorText.of(new NoSuchFileException("/data/x.png"))).isEqualTo("/data/x.png: no such file or directory");
        assertThat(ErrorText.of(new UncheckedIOException(new AccessDeniedException("/root/out")))).isEqualTo("/root/out: permission denied");
        assertThat(ErrorText.of(new IllegalStateException())).isEqualTo("java.lang.IllegalStateException");
        assertThat(ErrorText.of(new IllegalArgumentException("--top must be > 0"))).isEqualTo("--top must be > 0");
    }
}
