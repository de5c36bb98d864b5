package org.cnn4j.backend;

import java.util.Locale;
import java.util.logging.Logger;
import org.cnn4j.backend.cpu.NativeBackend;
import org.cnn4j.backend.cpu.NativeLibrary;
import org.cnn4j.backend.reference.ReferenceBackend;

/**
 * Chooses the backend every op runs on. Order: {@link #use(Backend)} from code, else the setting
 * {@code cnn4j.backend} / {@code CNN4J_BACKEND} ({@link Settings#backend()}: "native" or "reference"),
 * else native when the native library loads here, else the reference backend. When
 * native was wanted but cannot load, one log line says why and the reference backend takes over; an
 * invalid setting (an unknown backend name, a bad CNN4J_THREADS, CNN4J_ISA or CNN4J_GEMM) is the user's
 * error instead: {@link #current()} throws an {@link IllegalStateException} naming it and its value.
 */
public final class Backends {
    private static final Logger LOG = Logger.getLogger(Backends.class.getName());
    private static volatile Backend current;
    private static volatile String reason;

    private Backends() {
    }

    /** The backend ops run on now, chosen on first use. */
    public static Backend current() {
        Backend b = current;
        if (b == null) {
            synchronized (Backends.class) {
                if (current == null) {
                    current = choose();
                }
                b = current;
            }
        }
        return b;
    }

    /** Makes {@code backend} the one every op runs on from now on. */
    public static void use(Backend backend) {
        use(backend, "chosen in code");
    }

    /** As {@link #use(Backend)}, with why, for {@link #reason()} (e.g. the command-line option that chose it). */
    public static synchronized void use(Backend backend, String why) {
        if (backend == null) {
            throw new IllegalArgumentException("Backends.use: backend is null");
        }
        current = backend;
        reason = why;
    }

    /** Selects a backend by name ("native" or "reference"); fails if native cannot load. */
    public static Backend byName(String name) {
        if (name == null) {
            throw new IllegalArgumentException("unknown backend null (expected native or reference)");
        }
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "reference", "java" -> ReferenceBackend.INSTANCE;
            case "native", "cpu" -> {
                if (!NativeBackend.isAvailable()) {
                    throw new IllegalStateException("the native library cannot load here: " + NativeBackend.loadError());
                }
                yield NativeBackend.instance();
            }
            default -> throw new IllegalArgumentException("unknown backend '" + name + "' (expected native or reference)");
        };
    }

    /** Why the current backend was chosen, for {@code cnn4j info}. */
    public static String reason() {
        current();
        return reason;
    }

    private static Backend choose() {
        Settings settings = Settings.current();
        if (settings.wantsReference()) {
            reason = "forced by " + settings.backendVariable() + "=" + settings.backend();
            return ReferenceBackend.INSTANCE;
        }
        NativeLibrary.checkSettings();
        if (NativeBackend.isAvailable()) {
            reason = "native library loaded";
            return NativeBackend.instance();
        }
        reason = "native library unavailable: " + NativeBackend.loadError();
        LOG.warning("cnn4j: running on the pure-Java reference backend because the native library cannot load: "
                + NativeBackend.loadError());
        return ReferenceBackend.INSTANCE;
    }
}
