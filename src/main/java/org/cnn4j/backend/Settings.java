package org.cnn4j.backend;

import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.cnn4j.backend.cpu.ConvCalibration;
import org.cnn4j.backend.cpu.Isa;
import org.cnn4j.backend.cpu.NativeThreads;

/**
 * cnn4j's process settings, read once, when cnn4j first needs one, from system properties (first) and
 * environment variables, and read-only after. A bad value fails every use with an
 * {@link IllegalStateException} naming the variable, its value and what it accepts, instead of being
 * ignored. Code overrides them per process ({@link Backends#use}, {@link ConvAlgorithm#use}) or per
 * network and call ({@link ExecutionOptions}).
 *
 * @param backend       {@code cnn4j.backend} / {@code CNN4J_BACKEND}: "native" or "reference"; null lets the
 *                      native library decide by whether it loads
 * @param backendVariable the name of the property or variable that set {@code backend} (null with it), for messages
 * @param convAlgorithm {@code cnn4j.conv.algo} / {@code CNN4J_CONV_ALGO}, default AUTO
 * @param winograd      {@code cnn4j.conv.winograd} / {@code CNN4J_CONV_WINOGRAD}: whether AUTO and AUTOTUNE may
 *                      choose Winograd, default true
 * @param isa           {@code cnn4j.isa} / {@code CNN4J_ISA}: the highest instruction set kernels use, default avx512
 * @param ownGemm       {@code cnn4j.gemm} / {@code CNN4J_GEMM}: "own" for our SGEMM, "openblas" (the default) for OpenBLAS's
 * @param threads       {@code cnn4j.threads} / {@code CNN4J_THREADS}: 1 to {@link NativeThreads#MAX}, default
 *                      the processors available, up to that bound
 * @param autotuneFile  {@code cnn4j.autotune.file} / {@code CNN4J_AUTOTUNE_FILE}: where AUTOTUNE keeps its
 *                      choices, null for nowhere
 * @param convCalibration {@code cnn4j.conv.calibration} / {@code CNN4J_CONV_CALIBRATION}: the file of AUTO's
 *                      per-CPU measurements that {@code cnn4j calibrate} writes, "none" (null here) for none;
 *                      default {@link ConvCalibration#defaultFile()}, named by the CPU
 */
public record Settings(String backend, String backendVariable, ConvAlgorithm convAlgorithm, boolean winograd, Isa isa, boolean ownGemm,
                       int threads, Path autotuneFile, Path convCalibration) {

    /** The settings of this process, or the exception naming the bad one. */
    public static Settings current() {
        Parsed p = Holder.PARSED;
        if (p.error != null) {
            throw new IllegalStateException(p.error);
        }
        return p.settings;
    }

    /** Parses settings from these lookups (a system property's name to its value, an environment variable's to its). */
    public static Settings parse(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        Source s = new Source(properties, environment);
        Setting backend = s.get("cnn4j.backend", "CNN4J_BACKEND");
        Setting algo = s.get("cnn4j.conv.algo", "CNN4J_CONV_ALGO");
        Setting winograd = s.get("cnn4j.conv.winograd", "CNN4J_CONV_WINOGRAD");
        Setting isa = s.get("cnn4j.isa", "CNN4J_ISA");
        Setting gemm = s.get("cnn4j.gemm", "CNN4J_GEMM");
        Setting threads = s.get("cnn4j.threads", "CNN4J_THREADS");
        Setting autotune = s.get("cnn4j.autotune.file", "CNN4J_AUTOTUNE_FILE");
        Setting calibration = s.get("cnn4j.conv.calibration", "CNN4J_CONV_CALIBRATION");
        return new Settings(
                backend == null ? null : backend.oneOf("backend", "native", "reference", "cpu", "java"),
                backend == null ? null : backend.name,
                algo == null ? ConvAlgorithm.AUTO : algo.parsed(ConvAlgorithm::parse),
                winograd == null || winograd.oneOf("switch", "true", "false").equals("true"),
                isa == null ? Isa.AVX512 : isa.parsed(Isa::parse),
                gemm != null && gemm.oneOf("GEMM", "own", "openblas").equals("own"),
                threads == null ? Math.min(Runtime.getRuntime().availableProcessors(), NativeThreads.MAX) : threads.threads(),
                autotune == null ? null : autotune.parsed(Path::of),
                calibration == null ? ConvCalibration.defaultFile()
                        : calibration.value().equalsIgnoreCase("none") ? null : calibration.parsed(Path::of));
    }

    /** Whether the backend setting asks for the pure-Java reference backend. */
    public boolean wantsReference() {
        return "reference".equals(backend) || "java".equals(backend);
    }

    private static final class Holder {
        static final Parsed PARSED = Parsed.of(System::getProperty, System::getenv);
    }

    private record Parsed(Settings settings, String error) {
        static Parsed of(UnaryOperator<String> properties, UnaryOperator<String> environment) {
            try {
                return new Parsed(parse(properties, environment), null);
            } catch (IllegalStateException e) {
                return new Parsed(null, e.getMessage());
            }
        }
    }

    private record Source(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        /** The system property, else the environment variable, or null when neither is set. */
        Setting get(String property, String env) {
            String v = properties.apply(property);
            if (v != null && !v.isBlank()) {
                return new Setting(property, v.trim());
            }
            v = environment.apply(env);
            return v == null || v.isBlank() ? null : new Setting(env, v.trim());
        }
    }

    /** A setting as given: the system property's or environment variable's name and value. */
    private record Setting(String name, String value) {
        String oneOf(String what, String... accepted) {
            String v = value.toLowerCase(Locale.ROOT);
            for (String a : accepted) {
                if (a.equals(v)) {
                    return a;
                }
            }
            throw new IllegalStateException(this + ": unknown " + what + " (expected " + String.join(", ", accepted) + ")");
        }

        <T> T parsed(Function<String, T> parser) {
            try {
                return parser.apply(value);
            } catch (IllegalArgumentException e) { // InvalidPathException among them
                throw new IllegalStateException(this + ": " + e.getMessage(), e);
            }
        }

        int threads() {
            try {
                return NativeThreads.check(name, Long.parseLong(value));
            } catch (NumberFormatException e) {
                throw new IllegalStateException(this + ": not a whole number of threads (expected 1 to " + NativeThreads.MAX + ")");
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }

        @Override
        public String toString() {
            return name + "=" + value;
        }
    }
}
