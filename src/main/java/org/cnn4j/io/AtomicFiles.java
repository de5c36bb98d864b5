package org.cnn4j.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes files so that readers never see a half-written one, even after a crash or power loss: the
 * content goes to a temporary file in the same directory, which is flushed to disk (fsync), renamed
 * over the target in one atomic step, and then the directory is flushed so the rename itself is
 * durable. Every file cnn4j writes goes through here.
 * <p>
 * Temporary files are named {@code .<target>.cnn4j-tmp-<pid>-<random>}; a write deletes its own on any
 * failure, and removes those that a killed process left behind in the same directory (the writing
 * process is gone, or the file is older than {@link #STALE_AFTER}). The file is created with the
 * usual permissions (0666 less the umask), as any other new file.
 */
public final class AtomicFiles {
    /** A temporary file this old is a leftover even if a process of the same pid is running (pids are reused). */
    static final Duration STALE_AFTER = Duration.ofHours(24);
    private static final String MARK = ".cnn4j-tmp-";
    private static final Pattern TEMP = Pattern.compile("\\..+" + Pattern.quote(MARK) + "(\\d+)-[0-9a-f]+");

    private AtomicFiles() {
    }

    /** Writes {@code bytes} to {@code target} atomically. */
    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /** Something that writes a file's content to a stream. */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /**
     * Writes what {@code content} produces to {@code target} atomically; on failure the target is untouched.
     * A file-system error names the target and the reason; {@code content}'s own exceptions pass unchanged.
     */
    public static void write(Path target, Content content) throws IOException {
        try {
            writeAtomically(target, content);
        } catch (java.nio.file.FileSystemException e) {
            throw new IOException("cannot write " + target + ": " + FileErrors.reason(e), e);
        }
    }

    private static void writeAtomically(Path target, Content content) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        removeLeftovers(dir);
        Path tmp = dir.resolve("." + absolute.getFileName() + MARK + ProcessHandle.current().pid() + "-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 1));
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                OutputStream out = Channels.newOutputStream(ch);
                content.writeTo(out);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Deletes the temporary files of writes that were killed before they could clean up. Best effort: a
     * leftover that cannot be deleted (another user's, say) does not stop this write.
     */
    static void removeLeftovers(Path dir) {
        Instant staleBefore = Instant.now().minus(STALE_AFTER);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, ".*" + MARK + "*")) {
            for (Path p : files) {
                Matcher m = TEMP.matcher(p.getFileName().toString());
                if (m.matches() && Files.isRegularFile(p) && (ProcessHandle.of(parsePid(m.group(1))).isEmpty()
                        || Files.getLastModifiedTime(p).toInstant().isBefore(staleBefore))) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException | java.nio.file.DirectoryIteratorException e) {
            // a leftover stays until a later write manages to remove it
        }
    }

    private static long parsePid(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return -1; // no such process
        }
    }

    /** Makes the rename durable. Some platforms (Windows) cannot open a directory; there the rename is as durable as the OS makes it. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // not supported here: nothing more to do
        }
    }
}
