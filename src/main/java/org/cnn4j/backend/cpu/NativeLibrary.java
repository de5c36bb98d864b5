package org.cnn4j.backend.cpu;

import org.bytedeco.javacpp.Loader;
import org.cnn4j.backend.Settings;

/**
 * Loads the native library once: JavaCPP's Loader first loads oneDNN, the libgomp that ships with it
 * (the process's one OpenMP runtime) and OpenBLAS from their preset jars, then our
 * {@code libjnicnn4j.so} from this jar. A failure to load is kept as a one-line reason instead of an
 * {@link UnsatisfiedLinkError} at the user (the reference backend then takes over). The ISA, GEMM and
 * threads of {@link Settings} are applied after loading; a bad setting is the user's error, not a reason
 * to fall back: every use of the library then throws an {@link IllegalStateException} naming the
 * variable and its value.
 */
public final class NativeLibrary {
    private static final long LOADER_STACK = 16L << 20;
    private static final String ERROR = load();
    private static final String SETTINGS_ERROR = applySettings();

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

    /** Sets the number of threads of OpenMP regions, oneDNN and OpenBLAS: 1 to {@link NativeThreads#MAX}. */
    public static void useThreads(int threads) {
        requireLoaded();
        NativeStatus.check(NativeKernels.cnn4j_set_threads(NativeThreads.check("threads", threads)), "threads");
    }

    /** Throws when a setting (CNN4J_ISA, CNN4J_GEMM, CNN4J_THREADS or their system properties) is invalid. */
    public static void checkSettings() {
        if (SETTINGS_ERROR != null) {
            throw new IllegalStateException(SETTINGS_ERROR);
        }
    }

    /** Applies the settings' ISA, GEMM and threads to the loaded library; returns why they are invalid, or null. */
    private static String applySettings() {
        Settings settings;
        try {
            settings = Settings.current();
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
        if (ERROR == null) {
            NativeKernels.cnn4j_set_isa(settings.isa().ordinal());
            NativeKernels.cnn4j_set_gemm(settings.ownGemm() ? 1 : 0);
            NativeKernels.cnn4j_set_threads(settings.threads()); // in range: cannot fail
        }
        return null;
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

    /**
     * The fp32 FMA peak in GFLOP/s, measured: every thread runs independent chains of vector FMAs with the
     * active ISA for {@code seconds} (0 < seconds <= 60).
     */
    public static double fmaPeakGflops(double seconds) {
        requireLoaded();
        if (!(seconds > 0 && seconds <= 60)) {
            throw new IllegalArgumentException("fma peak: seconds must be in (0, 60], got " + seconds);
        }
        double[] gflops = new double[1];
        NativeStatus.check(NativeKernels.cnn4j_fma_peak(seconds, gflops), "fma peak");
        return gflops[0];
    }

    /** How many activation copies (reorders) oneDNN's convolutions have made inside their calls so far. */
    public static long onednnActivationCopies() {
        requireLoaded();
        return NativeKernels.cnn4j_onednn_activation_copies();
    }

    private static void requireLoaded() {
        if (ERROR != null) {
            throw new IllegalStateException("native library not loaded: " + ERROR);
        }
        checkSettings();
    }

    private static String load() {
        String os = System.getProperty("os.name", "").toLowerCase();
        String arch = System.getProperty("os.arch", "");
        if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
            return "no native build for " + os + "/" + arch + " (only linux-x86_64)";
        }
        // oneDNN's static initialisers take about 500 KB of the loading thread's stack: loaded from a thread
        // of -Xss512k they overflowed it (SIGSEGV in dl_init, no JVM error report), so the loading happens on
        // a thread of its own with a stack of LOADER_STACK; the kernels then run on 128 KB stacks. (Not a
        // lambda: that would be a method of this class, whose initialisation the loading thread would wait for.)
        Loading loading = new Loading();
        Thread loader = new Thread(null, loading, "cnn4j-native-loader", LOADER_STACK);
        loader.start();
        try {
            loader.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted while loading the native library";
        }
        Throwable t = loading.failure;
        if (t != null) {
            String msg = t.getMessage() == null ? t.toString() : t.getMessage();
            return t.getClass().getSimpleName() + ": " + msg.lines().findFirst().orElse(msg);
        }
        return null;
    }

    /** Loads the libraries, keeping what went wrong. */
    private static final class Loading implements Runnable {
        Throwable failure;

        @Override
        public void run() {
            try {
                Loader.load(NativeKernels.class);
            } catch (Throwable t) {
                failure = t;
            }
        }
    }
}
