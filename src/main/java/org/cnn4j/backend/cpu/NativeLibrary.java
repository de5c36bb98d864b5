package org.cnn4j.backend.cpu;

import org.bytedeco.javacpp.Loader;

/**
 * Loads the native library once: JavaCPP's Loader first loads oneDNN, the libgomp that ships with it
 * (the process's one OpenMP runtime) and OpenBLAS from their preset jars, then our
 * {@code libjnicnn4j.so} from this jar. Also applies {@code cnn4j.gemm}/{@code CNN4J_GEMM} (own|openblas).
 * Any failure is kept as a one-line reason instead of an
 * {@link UnsatisfiedLinkError} at the user. Applies {@code cnn4j.isa}/{@code CNN4J_ISA} and
 * {@code cnn4j.threads}/{@code CNN4J_THREADS} after loading.
 */
public final class NativeLibrary {
    private static final String ERROR = load();

    private NativeLibrary() {
    }

    public static boolean isLoaded() {
        return ERROR == null;
    }

    /** Why the library did not load, or null when it did. */
    public static String loadError() {
        return ERROR;
    }

    /** Forces kernels down to {@code isa} (never above what the CPU supports); returns the one in effect. */
    public static Isa useIsa(Isa isa) {
        requireLoaded();
        return Isa.values()[NativeKernels.cnn4j_set_isa(isa.ordinal())];
    }

    /** Chooses the SGEMM under im2col+GEMM and linear layers: ours ({@code true}) or OpenBLAS's. */
    public static void useOwnGemm(boolean own) {
        requireLoaded();
        NativeKernels.cnn4j_set_gemm(own ? 1 : 0);
    }

    /** "own" or "openblas". */
    public static String gemm() {
        requireLoaded();
        return NativeKernels.cnn4j_gemm_is_own() != 0 ? "own" : "openblas";
    }

    public static Isa supportedIsa() {
        requireLoaded();
        return Isa.values()[NativeKernels.cnn4j_supported_isa()];
    }

    public static Isa activeIsa() {
        requireLoaded();
        return Isa.values()[NativeKernels.cnn4j_active_isa()];
    }

    /** Sets the number of threads of OpenMP regions, oneDNN and OpenBLAS. */
    public static void useThreads(int threads) {
        requireLoaded();
        if (threads <= 0) {
            throw new IllegalArgumentException("threads: must be > 0, got " + threads);
        }
        NativeStatus.check(NativeKernels.cnn4j_set_threads(threads), "threads");
    }

    public static int threads() {
        requireLoaded();
        return NativeKernels.cnn4j_threads();
    }

    public static String onednnVersion() {
        requireLoaded();
        return NativeKernels.cnn4j_onednn_version();
    }

    public static String openblasConfig() {
        requireLoaded();
        return NativeKernels.cnn4j_openblas_config();
    }

    public static String openmpRuntime() {
        requireLoaded();
        return NativeKernels.cnn4j_openmp_runtime();
    }

    private static void requireLoaded() {
        if (ERROR != null) {
            throw new IllegalStateException("native library not loaded: " + ERROR);
        }
    }

    private static String load() {
        String os = System.getProperty("os.name", "").toLowerCase();
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return "no native build for " + os + "/" + arch + " (only linux-x86_64)";
        }
        try {
            Loader.load(NativeKernels.class);
        } catch (Throwable t) {
            String msg = t.getMessage() == null ? t.toString() : t.getMessage();
            return t.getClass().getSimpleName() + ": " + msg.lines().findFirst().orElse(msg);
        }
        try {
            String isa = setting("cnn4j.isa", "CNN4J_ISA");
            NativeKernels.cnn4j_set_isa((isa == null ? Isa.AVX512 : Isa.parse(isa)).ordinal());
            String gemm = setting("cnn4j.gemm", "CNN4J_GEMM");
            if (gemm != null && !gemm.equalsIgnoreCase("own") && !gemm.equalsIgnoreCase("openblas")) {
                throw new IllegalArgumentException("gemm: cnn4j.gemm/CNN4J_GEMM must be own or openblas, got " + gemm);
            }
            NativeKernels.cnn4j_set_gemm(gemm != null && gemm.equalsIgnoreCase("own") ? 1 : 0);
            String threads = setting("cnn4j.threads", "CNN4J_THREADS");
            int n = threads == null ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(threads.trim());
            if (n <= 0) {
                throw new IllegalArgumentException("threads: cnn4j.threads/CNN4J_THREADS must be > 0, got " + n);
            }
            NativeStatus.check(NativeKernels.cnn4j_set_threads(n), "threads");
        } catch (RuntimeException e) {
            return e.getMessage();
        }
        return null;
    }

    private static String setting(String property, String env) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            v = System.getenv(env);
        }
        return v == null || v.isBlank() ? null : v;
    }
}
