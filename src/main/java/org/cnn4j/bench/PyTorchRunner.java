package org.cnn4j.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code benchmarks/pytorch_bench.py} with a Python that has PyTorch (Debian's python3-torch),
 * so whole-network figures can be compared on this machine in the same run. When there is no such
 * Python or script, {@link #unavailable()} says why and the comparison column says so.
 */
public final class PyTorchRunner {
    private final Path script;
    private final String python;
    private final String unavailable;

    public PyTorchRunner(Path script) {
        this.script = script;
        String found = null;
        String why = null;
        if (!Files.isRegularFile(script)) {
            why = "no " + script + " (run from the cnn4j checkout or pass --pytorch-script)";
        } else {
            for (String candidate : candidates()) {
                if (hasTorch(candidate)) {
                    found = candidate;
                    break;
                }
            }
            if (found == null) {
                String env = System.getenv("CNN4J_PYTHON");
                why = env != null ? "CNN4J_PYTHON=" + env + " cannot import torch" : "PyTorch not installed (Debian package python3-torch)";
            }
        }
        this.python = found;
        this.unavailable = why;
    }

    /** Why PyTorch cannot run here, or null when it can. */
    public String unavailable() {
        return unavailable;
    }

    /** One run of the script; the parsed JSON (which holds "error" when the network is not available). */
    public JsonNode run(String network, String mode, int mb, int reps, int threads) throws IOException {
        if (unavailable != null) {
            throw new IllegalStateException(unavailable);
        }
        Process p = new ProcessBuilder(python, script.toString(), "--network", network, "--mode", mode, "--mb", Integer.toString(mb),
                "--reps", Integer.toString(reps), "--threads", Integer.toString(threads)).redirectErrorStream(false).start();
        try {
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("pytorch benchmark " + script + " --network " + network + " timed out after 30 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("pytorch benchmark " + script + ": interrupted while waiting for it", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (out.isEmpty()) {
            throw new IOException("pytorch benchmark printed nothing: " + new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        String last = out.substring(out.lastIndexOf('\n') + 1);
        return new ObjectMapper().readTree(last);
    }

    private static List<String> candidates() {
        String env = System.getenv("CNN4J_PYTHON");
        return env != null ? List.of(env) : List.of("/usr/bin/python3", "python3");
    }

    private static boolean hasTorch(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import torch").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
