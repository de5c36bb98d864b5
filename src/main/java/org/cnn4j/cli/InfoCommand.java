package org.cnn4j.cli;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.cnn4j.backend.Activation;
import org.cnn4j.backend.Backend;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.Pool2dSpec;
import org.cnn4j.backend.cpu.ConvCalibration;
import org.cnn4j.backend.cpu.CpuInfo;
import org.cnn4j.backend.cpu.NativeBackend;
import org.cnn4j.backend.cpu.NativeLibrary;
import picocli.CommandLine.Command;

/** {@code cnn4j info}: what this installation runs on. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Shows the version, the backend in use and why, the CPU's features, the instruction set the "
                + "kernels use, the oneDNN and OpenBLAS versions, the OpenMP runtime, the thread count, and the native ops, "
                + "convolution algorithms, activations and pooling kinds the backend provides.",
                "Force a backend with -Dcnn4j.backend=reference (or CNN4J_BACKEND), an ISA with CNN4J_ISA=avx2|scalar, "
                        + "threads with --threads or CNN4J_THREADS."})
final class InfoCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("cnn4j", VersionProvider.version());
        rows.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        rows.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        rows.put("backend", Backends.current().name() + " (" + Backends.reason() + ")");
        rows.put("cpu", CpuInfo.model());
        rows.put("cpu features", cpuFeatures());
        if (NativeBackend.isAvailable()) {
            rows.put("isa", NativeLibrary.activeIsa().label() + " (supported: " + NativeLibrary.supportedIsa().label() + ")");
            rows.put("threads", Integer.toString(NativeLibrary.threads()));
            rows.put("oneDNN", NativeLibrary.onednnVersion());
            rows.put("OpenBLAS", NativeLibrary.openblasConfig().trim());
            rows.put("OpenMP runtime", NativeLibrary.openmpRuntime());
            rows.put("gemm", NativeLibrary.gemm() + " (CNN4J_GEMM=own|openblas)");
            rows.put("native ops", backendOps());
            rows.put("conv algorithms", convAlgorithms());
            rows.put("conv calibration", calibration());
            rows.put("activations", names(Activation.Kind.values()));
            rows.put("pooling", names(Pool2dSpec.Kind.values()));
        } else {
            rows.put("native library", "not loaded: " + NativeLibrary.loadError());
            rows.put("threads", Integer.toString(Runtime.getRuntime().availableProcessors()));
        }
        int width = rows.keySet().stream().mapToInt(String::length).max().orElse(0);
        rows.forEach((k, v) -> System.out.printf("%-" + width + "s  %s%n", k, v));
        return 0;
    }

    /**
     * The ops of the backend SPI, read from {@link Backend} itself (its methods that take operands) so that
     * a new op is listed without editing this command: the native backend implements each of them (and
     * falls back to the reference when one op's tensors mix NCHW and NHWC).
     */
    private static String backendOps() {
        return Arrays.stream(Backend.class.getMethods())
                .filter(m -> Modifier.isAbstract(m.getModifiers()) && m.getParameterCount() > 0)
                .map(Method::getName).distinct().sorted().collect(Collectors.joining(", "));
    }

    /**
     * The convolution algorithms of {@link ConvAlgorithm} that compute natively, and the one in force: the
     * reference's loops are not native, and AUTO and AUTOTUNE choose among the others rather than being one.
     */
    private static String convAlgorithms() {
        Set<ConvAlgorithm> notAlgorithms = EnumSet.of(ConvAlgorithm.REFERENCE, ConvAlgorithm.AUTO, ConvAlgorithm.AUTOTUNE);
        ConvAlgorithm[] natives = Arrays.stream(ConvAlgorithm.values()).filter(a -> !notAlgorithms.contains(a)).toArray(ConvAlgorithm[]::new);
        return names(natives) + "; in use: " + names(ConvAlgorithm.current()) + " (Winograd " + (ConvAlgorithm.winogradAllowed()
                ? "allowed" : "not allowed") + " for auto and autotune; cnn4j.conv.algo)";
    }

    /** The file of AUTO's measurements on this CPU and how many shapes it holds at the current thread count. */
    private static String calibration() {
        if (!(Backends.current() instanceof NativeBackend nb)) {
            return "not used: convolutions run on the " + Backends.current().name() + " backend";
        }
        ConvCalibration c = nb.convolutions().calibration();
        if (c.file() == null) {
            return "none (cnn4j.conv.calibration=none): AUTO follows its rule";
        }
        String threads = ":" + NativeLibrary.threads() + ":";
        long here = c.entries().keySet().stream().filter(k -> k.contains(threads)).count();
        return here == 0 ? "none for this CPU and thread count yet: AUTO follows its rule (cnn4j calibrate; file " + c.file() + ")"
                : here + " shapes at " + NativeLibrary.threads() + " threads in " + c.file();
    }

    private static String names(Enum<?>... values) {
        return Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(", "));
    }

    private static String cpuFeatures() {
        return CpuInfo.flags().map(flags -> {
            StringBuilder sb = new StringBuilder();
            for (String f : flags.split(" ")) {
                if (f.startsWith("avx") || f.equals("fma") || f.equals("f16c")) {
                    sb.append(sb.length() == 0 ? "" : " ").append(f);
                }
            }
            return sb.toString();
        }).orElse("unknown");
    }
}
