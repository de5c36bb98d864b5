package org.cnn4j.cli;

import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import org.cnn4j.io.FileErrors;

/** The one-line text of a command's failure, with the file and the reason for java.nio's file exceptions (whose message is the path alone). */
final class ErrorText {
    private ErrorText() {
    }

    static String of(Throwable e) {
        if (e instanceof UncheckedIOException u && u.getCause() instanceof FileSystemException) {
            return of(u.getCause());
        }
        if (e instanceof FileSystemException f) {
            return f.getFile() + (f.getOtherFile() != null ? " -> " + f.getOtherFile() : "") + ": " + FileErrors.reason(f);
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getName();
    }
}
