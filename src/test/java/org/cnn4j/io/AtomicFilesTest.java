package org.cnn4j.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    private static Stream<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    /** The pid of a process that has exited. */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    @Test
    void aWriteRemovesTheTemporaryFilesOfKilledWritesAndKeepsEverythingElse(@TempDir Path dir) throws Exception {
        long me = ProcessHandle.current().pid();
        Path killed = Files.write(dir.resolve(".model.cnn4j.cnn4j-tmp-" + deadPid() + "-1f2e"), new byte[1000]);
        Path old = Files.write(dir.resolve(".report.html.cnn4j-tmp-" + me + "-abc"), new byte[10]);
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(AtomicFiles.STALE_AFTER).minusSeconds(60)));
        Path running = Files.write(dir.resolve(".other.png.cnn4j-tmp-" + me + "-beef"), new byte[10]);
        Path foreign = Files.write(dir.resolve(".model.cnn4j.tmp"), new byte[10]);

        AtomicFiles.write(dir.resolve("model.cnn4j"), new byte[] {1, 2, 3});

        assertThat(killed).as("left by a process that is gone").doesNotExist();
        assertThat(old).as("older than a day").doesNotExist();
        assertThat(running).as("a write of a live process").exists();
        assertThat(foreign).as("not one of ours").exists();
        assertThat(Files.readAllBytes(dir.resolve("model.cnn4j"))).containsExactly(1, 2, 3);
    }

    @Test
    void aFailedWriteLeavesTheTargetAsItWasAndNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path target = Files.write(dir.resolve("model.cnn4j"), new byte[] {7});
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write(new byte[4096]);
            throw new IOException("disk full");
        })).isInstanceOf(IOException.class).hasMessage("disk full");
        assertThat(Files.readAllBytes(target)).containsExactly(7);
        assertThat(names(dir)).containsExactly("model.cnn4j");

        AtomicFiles.write(dir.resolve("sub/dir/new.json"), new byte[] {'{', '}'});
        assertThat(names(dir.resolve("sub/dir"))).containsExactly("new.json");
    }

    @Test
    void aFileSystemErrorNamesTheTargetAndTheReason(@TempDir Path dir) throws IOException {
        Path under = dir.resolve("model.cnn4j/report.html"); // a directory where a file is
        Files.write(dir.resolve("model.cnn4j"), new byte[1]);
        assertThatThrownBy(() -> AtomicFiles.write(under, new byte[1])).isInstanceOf(IOException.class)
                .hasMessage("cannot write " + under + ": already exists");
    }
}
