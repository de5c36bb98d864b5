package org.cnn4j.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.cpu.NativeBackend;
import org.cnn4j.backend.cpu.NativeLibrary;
import picocli.CommandLine.Command;

/** {@code cnn4j info}: what this installation runs on. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = {"Shows the version, the backend in use and why, the CPU's features, the instruction set the "
                + "kernels use, the oneDNN and OpenBLAS versions, the OpenMP runtime and the thread count.",
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
        rows.put("cpu", cpuModel());
        rows.put("cpu features", cpuFeatures());
        if (NativeBackend.isAvailable()) {
            rows.put("isa", NativeLibrary.activeIsa().label() + " (supported: " + NativeLibrary.supportedIsa().label() + ")");
            rows.put("threads", Integer.toString(NativeLibrary.threads()));
            rows.put("oneDNN", NativeLibrary.onednnVersion());
            rows.put("OpenBLAS", NativeLibrary.openblasConfig().trim());
            rows.put("OpenMP runtime", NativeLibrary.openmpRuntime());
            rows.put("gemm", NativeLibrary.gemm() + " (CNN4J_GEMM=own|openblas)");
            rows.put("native ops", String.join(", ", NativeBackend.nativeOps()));
        } else {
            rows.put("native library", "not loaded: " + NativeLibrary.loadError());
            rows.put("threads", Integer.toString(Runtime.getRuntime().availableProcessors()));
        }
        int width = rows.keySet().stream().mapToInt(String::length).max().orElse(0);
        rows.forEach((k, v) -> System.out.printf("%-" + width + "s  %s%n", k, v));
        return 0;
    }

    private static String cpuModel() {
        return cpuinfo("model name").orElse(System.getProperty("os.arch"));
    }

    private static String cpuFeatures() {
        return cpuinfo("flags").map(flags -> {
            StringBuilder sb = new StringBuilder();
            for (String f : flags.split(" ")) {
                if (f.startsWith("avx") || f.equals("fma") || f.equals("f16c")) {
                    sb.append(sb.length() == 0 ? "" : " ").append(f);
                }
            }
            return sb.toString();
        }).orElse("unknown");
    }

    private static java.util.Optional<String> cpuinfo(String key) {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                    .filter(l -> l.startsWith(key))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst();
        } catch (Exception e) {
            return java.util.Optional.empty();
        }
    }
}
