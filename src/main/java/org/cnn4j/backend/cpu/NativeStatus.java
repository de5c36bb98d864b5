package org.cnn4j.backend.cpu;

/** Turns a native status code into the matching Java exception, with the native message. */
final class NativeStatus {
    private static final int INVALID_ARGUMENT = 1, UNIMPLEMENTED = 2;

    private NativeStatus() {
    }

    static void check(int status, String op) {
        if (status == 0) {
            return;
        }
        String message = NativeKernels.cnn4j_last_error();
        if (message == null || message.isEmpty()) {
            message = op + ": native status " + status;
        }
        switch (status) {
            case INVALID_ARGUMENT -> throw new IllegalArgumentException(message);
            case UNIMPLEMENTED -> throw new UnsupportedOperationException(message);
            default -> throw new IllegalStateException(message);
        }
    }
}
