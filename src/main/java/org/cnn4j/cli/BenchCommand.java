package org.cnn4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.ConvDirection;
import org.cnn4j.backend.cpu.NativeBackend;
import org.cnn4j.backend.cpu.NativeConvolution;
import org.cnn4j.backend.cpu.NativeLibrary;
import org.cnn4j.bench.ConvBenchmark;
import org.cnn4j.bench.ConvBenchmark.Result;
import org.cnn4j.bench.ConvLayer;
import org.cnn4j.bench.FmaPeak;
import org.cnn4j.bench.ShapeSuite;
import org.cnn4j.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code cnn4j bench}: convolution throughput per layer against oneDNN and the machine's FMA peak. */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = BenchCompareCommand.class,
        description = {"Times every convolution algorithm on the layers of a shape suite, in one run and interleaved, "
                + "and reports for each: median ms, GFLOP/s (direct-convolution FLOPs), %% of the machine's FMA peak "
                + "(measured by a probe in the same run) and the speed ratio to oneDNN (>1 = faster than oneDNN).",
                "Suites: fmnist (default), resnet50, vgg16, mobilenet_dw, conv1d (1-D sound layers, batch 64 and 1), or a file of "
                        + "benchdnn descriptors. --algo auto times what AUTO runs (its choice per layer and direction).",
                "Winograd (--algo winograd_2x2_3x3,winograd_4x4_3x3) does fewer multiplies than direct convolution, so its "
                        + "GFLOP/s, counted as direct-convolution FLOPs, may exceed the FMA peak; layers an algorithm cannot "
                        + "compute show '-', and its suite total covers only the layers it ran (its vs1DNN ratio against oneDNN "
                        + "on those same layers).",
                "With --network NAME (a zoo model, on the input shape and class count its zoo entry names: cnn4j models) it times "
                        + "the whole network instead: batch-1 latency and throughput (--mode inference) or one training step, with the "
                        + "per-layer breakdown, reorders and peak memory; beside it the same network with every convolution on oneDNN, "
                        + "and the peers on the class path with the same weights, input and threads (ONNX Runtime; PyTorch 2.10 once "
                        + "benchmarks/peers is built), in blocks round by round. --onnx FILE does the same for an ONNX file.",
                "bench compare OLD.json NEW.json prints the ratios of two runs and fails on regressions."})
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--suite", defaultValue = "fmnist", description = "Shape suite or file (default: ${DEFAULT-VALUE}).")
    String suite;

    @Option(names = "--mb", defaultValue = "0", description = "Batch size for every layer (default: the suite's).")
    int mb;

    @Option(names = "--algo", split = ",", defaultValue = "onednn,im2col_gemm",
            description = "Algorithms, comma-separated (default: ${DEFAULT-VALUE}); onednn is always included as the baseline.")
    List<String> algorithms;

    @Option(names = "--direction", defaultValue = "forward",
            description = "forward, backward_data, backward_weights or all (default: ${DEFAULT-VALUE}).")
    String direction;

    @Option(names = "--min-time", defaultValue = "0.3", description = "Seconds of timed rounds per layer (default: ${DEFAULT-VALUE}).")
    double minTime;

    @Option(names = "--gemm", description = "SGEMM under im2col_gemm: openblas or own (default: cnn4j.gemm, else openblas).")
    String gemm;

    @Option(names = "--json", description = "Also write the results as JSON to this file.")
    Path json;

    @Option(names = "--layers", defaultValue = "0", description = "Only the first N layers of the suite (default: all).")
    int firstLayers;

    @Option(names = "--csv", description = "Also write the results as CSV to this file.")
    Path csv;

    @Option(names = "--chart", description = "Also draw the layer suite's GFLOP/s per algorithm, with the FMA peak, as a PNG bar chart.")
    Path chart;

    @Option(names = "--ops", description = "Time the memory-bound ops (ReLU, add, batch norm, pooling) in GB/s against a copy probe.")
    boolean ops;

    @Option(names = "--network", completionCandidates = ZooNames.class,
            description = "Time a whole zoo network instead of a layer suite: ${COMPLETION-CANDIDATES}.")
    String network;

    @Option(names = "--onnx", description = "Time an ONNX model on cnn4j and on the peers (ONNX Runtime, PyTorch), in rounds, with --mb (default 1), "
            + "--reps, --rounds and --fuse.")
    Path onnx;

    @Option(names = "--mode", defaultValue = "inference", description = "inference or training, with --network (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--reps", defaultValue = "10", description = "Timed repetitions per round, with --network (default: ${DEFAULT-VALUE}).")
    int reps;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds alternating cnn4j, oneDNN and the peers, with --network or --onnx (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--precision", split = ",", description = "With --network in inference: also time cnn4j's int8 and/or bf16 "
            + "inference of the network (int8,bf16) in the same rounds, as columns beside the peers.")
    List<String> precision = List.of();

    @Option(names = "--fuse", description = "With --network in inference: fold batch norm into convolutions and fuse ReLU.")
    boolean fuse;

    /** The --direction as directions, or an error naming the option. */
    private List<ConvDirection> directions() {
        if (direction.equalsIgnoreCase("all")) {
            return List.of(ConvDirection.values());
        }
        try {
            return List.of(ConvDirection.parse(direction));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--direction must be forward, backward_data, backward_weights or all, got " + direction);
        }
    }

    @Override
    public Integer call() throws Exception {
        if (!NativeBackend.isAvailable()) {
            throw new IllegalStateException("bench times the native backend, and its library cannot load here: " + NativeBackend.loadError());
        }
        if (!Backends.current().name().equals("native")) {
            throw new IllegalStateException("bench times the native backend, but this run uses " + Backends.current().name() + " ("
                    + Backends.reason() + ")");
        }
        Options.positive("--min-time", minTime);
        Options.atLeast("--mb", mb, 0);
        Options.atLeast("--layers", firstLayers, 0);
        Options.atLeast("--reps", reps, 1);
        Options.atLeast("--rounds", rounds, 1);
        List<ConvDirection> directions = directions();
        if (gemm != null) {
            if (!gemm.equals("own") && !gemm.equals("openblas")) {
                throw new IllegalArgumentException("--gemm must be own or openblas, got " + gemm);
            }
            NativeLibrary.useOwnGemm(gemm.equals("own"));
        }
        if (network != null && onnx != null) {
            throw new IllegalArgumentException("--network and --onnx: give one of them");
        }
        if (!precision.isEmpty() && network == null) {
            throw new IllegalArgumentException("--precision " + String.join(",", precision) + " times a --network's int8/bf16 inference; give --network");
        }
        if (network != null) {
            return networkBench();
        }
        if (onnx != null) {
            return onnxBench();
        }
        if (ops) {
            return opsBench();
        }
        ShapeSuite shapes = ShapeSuite.load(suite, mb);
        List<ConvLayer> layers = firstLayers > 0 ? shapes.layers().subList(0, Math.min(firstLayers, shapes.layers().size())) : shapes.layers();
        List<ConvAlgorithm> algos = new ArrayList<>(List.of(ConvAlgorithm.ONEDNN));
        for (String a : algorithms) {
            ConvAlgorithm algo = GoldenCommand.algorithm(a);
            if (algo == ConvAlgorithm.AUTOTUNE || algo == ConvAlgorithm.REFERENCE) {
                throw new IllegalArgumentException("--algo: " + a + " is not benchmarked (choose auto or concrete native algorithms)");
            }
            if (!algos.contains(algo)) {
                algos.add(algo);
            }
        }

        double peak = FmaPeak.measure(0.5);
        System.out.printf("cnn4j bench: suite %s, %d layers, %d threads, isa %s, gemm %s, FMA peak %.1f GFLOP/s (measured)%n",
                shapes.name(), layers.size(), NativeLibrary.threads(), NativeLibrary.activeIsa().label(), NativeLibrary.gemm(), peak);
        List<Result> all = new ArrayList<>();
        for (ConvDirection d : directions) {
            System.out.printf("%n%s%n", d.key());
            StringBuilder header = new StringBuilder(String.format("%-32s %8s", "layer", "GFLOP"));
            for (ConvAlgorithm a : algos) {
                header.append(String.format(" | %-16s %8s %7s %6s", a.name().toLowerCase(Locale.ROOT), "ms", "GFLOP/s", "%peak"));
                if (a != ConvAlgorithm.ONEDNN) {
                    header.append(String.format(" %6s", "vs1DNN"));
                }
            }
            System.out.println(header);
            // Per algorithm: its weighted ms, and the FLOPs and oneDNN ms of the layers it can compute.
            double[] weighted = new double[algos.size()];
            double[] flops = new double[algos.size()];
            double[] onednnMs = new double[algos.size()];
            double suiteFlops = 0;
            for (ConvLayer layer : layers) {
                List<ConvAlgorithm> runnable = algos.stream().filter(a -> NativeConvolution.supports(a, layer.spec())).toList();
                List<Result> rs = ConvBenchmark.run(Backends.current(), layer, d, runnable, minTime);
                all.addAll(rs);
                double layerFlops = layer.count() * layer.spec().flops();
                suiteFlops += layerFlops;
                StringBuilder row = new StringBuilder(String.format("%-32s %8.3f", layer.name() + (layer.count() > 1 ? " x" + layer.count() : ""),
                        layer.spec().flops() * 1e-9));
                for (int i = 0; i < algos.size(); i++) {
                    int at = runnable.indexOf(algos.get(i));
                    if (at < 0) {
                        row.append(String.format(" | %-16s %8s %7s %6s", "", "-", "-", "-"));
                        row.append(String.format(" %6s", "-"));
                        continue;
                    }
                    Result r = rs.get(at);
                    weighted[i] += layer.count() * r.medianMs();
                    flops[i] += layerFlops;
                    onednnMs[i] += layer.count() * rs.get(0).medianMs();
                    row.append(String.format(" | %-16s %8.3f %7.1f %5.0f%%", "", r.medianMs(), r.gflops(), 100 * r.gflops() / peak));
                    if (r.algorithm() != ConvAlgorithm.ONEDNN) {
                        row.append(String.format(" %5.2fx", rs.get(0).medianMs() / r.medianMs()));
                    }
                }
                System.out.println(row);
            }
            StringBuilder total = new StringBuilder(String.format("%-32s %8.3f", "whole suite (weighted)", suiteFlops * 1e-9));
            for (int i = 0; i < algos.size(); i++) {
                if (flops[i] == 0) {
                    total.append(String.format(" | %-16s %8s %7s %6s %6s", "", "-", "-", "-", "-"));
                    continue;
                }
                double gf = flops[i] / (weighted[i] * 1e-3) * 1e-9;
                total.append(String.format(" | %-16s %8.3f %7.1f %5.0f%%", "", weighted[i], gf, 100 * gf / peak));
                if (i > 0) {
                    total.append(String.format(" %5.2fx", onednnMs[i] / weighted[i]));
                }
            }
            System.out.println(total);
        }
        if (json != null) {
            writeJson(shapes, peak, all);
            System.out.println("\nwrote " + json);
        }
        if (csv != null) {
            StringBuilder sb = new StringBuilder("layer,count,direction,algorithm,median_ms,gflops,percent_of_peak\n");
            for (Result r : all) {
                sb.append(String.format(Locale.ROOT, "%s,%d,%s,%s,%.4f,%.2f,%.1f%n", r.layer().name(), r.layer().count(),
                        r.direction().key(), r.algorithm().name().toLowerCase(Locale.ROOT), r.medianMs(),
                        r.gflops(), 100 * r.gflops() / peak));
            }
            AtomicFiles.write(csv, sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            System.out.println("wrote " + csv);
        }
        if (chart != null) {
            org.cnn4j.bench.BenchChart.write(shapes.name(), all, peak, chart);
            System.out.println("wrote " + chart);
        }
        return 0;
    }

    private int opsBench() {
        int batch = mb > 0 ? mb : 128;
        System.out.printf("memory-bound ops at batch %d, channels-last, %d threads (GB/s = bytes read and written / median time)%n%n",
                batch, NativeLibrary.threads());
        System.out.printf("%-24s %-10s %9s %9s %9s %12s%n", "op", "shape", "ms", "GB/s", "% copy", "% mem copy");
        for (org.cnn4j.bench.OpsBenchmark.Result r : org.cnn4j.bench.OpsBenchmark.run(Backends.current(), batch, Math.max(5, reps))) {
            String ofCopy = Double.isNaN(r.percentOfCopy()) ? "-" : String.format("%.0f%%", r.percentOfCopy());
            System.out.printf("%-24s %-10s %9.3f %9.1f %9s %11.0f%%%n", r.op(), r.shape(), r.medianMs(), r.gbPerSecond(), ofCopy,
                    r.percentOfMemoryCopy());
        }
        return 0;
    }

    private int onnxBench() throws Exception {
        Map<String, Object> doc = org.cnn4j.bench.OnnxBenchRun.run(onnx, mb > 0 ? mb : 1, reps, rounds, NativeLibrary.threads(), fuse,
                System.out);
        if (json != null) {
            AtomicFiles.write(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(doc));
            System.out.println("\nwrote " + json);
        }
        return 0;
    }

    private int networkBench() throws IOException {
        if (!mode.equals("inference") && !mode.equals("training")) {
            throw new IllegalArgumentException("--mode must be inference or training, got " + mode);
        }
        int batch = mb > 0 ? mb : mode.equals("training") ? 128 : 16;
        Map<String, Object> doc = org.cnn4j.bench.NetworkBenchRun.run(network, mode, batch, reps, rounds, NativeLibrary.threads(), fuse,
                org.cnn4j.bench.LowPrecisionPeer.of(precision), System.out);
        if (json != null) {
            AtomicFiles.write(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(doc));
            System.out.println("\nwrote " + json);
        }
        if (csv != null) {
            StringBuilder sb = new StringBuilder("layer,description,algorithm,forward_ms,backward_ms,percent\n");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> layers = (List<Map<String, Object>>) doc.get("layers");
            for (Map<String, Object> l : layers) {
                sb.append(String.format(Locale.ROOT, "%s,\"%s\",%s,%.4f,%.4f,%.2f%n", l.get("layer"), l.get("description"), l.get("algorithm"),
                        (Double) l.get("forward_ms"), (Double) l.get("backward_ms"), (Double) l.get("percent")));
            }
            AtomicFiles.write(csv, sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            System.out.println("wrote " + csv);
        }
        return 0;
    }

    private void writeJson(ShapeSuite shapes, double peak, List<Result> results) throws IOException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("suite", shapes.name());
        doc.put("threads", NativeLibrary.threads());
        doc.put("isa", NativeLibrary.activeIsa().label());
        doc.put("gemm", NativeLibrary.gemm());
        doc.put("fma_peak_gflops", peak);
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Result r : results) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("layer", r.layer().name());
            row.put("count", r.layer().count());
            row.put("direction", r.direction().key());
            row.put("algorithm", r.algorithm().name().toLowerCase(Locale.ROOT));
            row.put("median_ms", r.medianMs());
            row.put("gflops", r.gflops());
            row.put("percent_of_peak", 100 * r.gflops() / peak);
            rows.add(row);
        }
        doc.put("results", rows);
        byte[] bytes = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(doc);
        AtomicFiles.write(json, bytes);
    }
}
