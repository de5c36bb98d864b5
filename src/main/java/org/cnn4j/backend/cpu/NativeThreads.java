package org.cnn4j.backend.cpu;

/**
 * The bound on the number of native threads. libgomp starts a team from the calling thread's stack,
 * about 120 bytes per thread (gomp_team_start's alloca of one gomp_thread_start_data each): around
 * 8,700 threads overflow a Java thread's default 1 MB stack and the JVM dies with SIGSEGV (measured:
 * 7,000 threads run, 10,000 crash, and run again with -Xss2m). {@link #MAX} takes at most 120 KB of it
 * and is more than the hardware threads of any current x86 server (8 sockets of 60 cores, 2 threads
 * each: 960). A class of its own so that checking an option does not load the library.
 */
public final class NativeThreads {
    public static final int MAX = 1024;

    private NativeThreads() {
    }

    /** {@code threads} when it is 1 to {@link #MAX}, else an exception naming {@code what} (an option or variable). */
    public static int check(String what, long threads) {
        if (threads < 1 || threads > MAX) {
            throw new IllegalArgumentException(what + " must be between 1 and " + MAX + " threads, got " + threads
                    + (threads > MAX ? " (OpenMP sets a team up on the calling thread's stack, which that many would overflow)" : ""));
        }
        return (int) threads;
    }
}
