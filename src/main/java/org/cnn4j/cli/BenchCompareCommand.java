package org.cnn4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cnn4j bench compare OLD.json NEW.json}: ratios of two benchmark runs; regressions fail. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compares two JSON files written by 'cnn4j bench --json' (layer suites or --network runs): prints "
                + "NEW/OLD time per layer (or per network figure) and exits with 1 when any is slower than the threshold.",
                "Example: cnn4j bench compare before.json after.json --threshold 1.10"})
final class BenchCompareCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "OLD")
    Path before;

    @Parameters(index = "1", paramLabel = "NEW")
    Path after;

    @Option(names = "--threshold", defaultValue = "1.10", description = "NEW/OLD time above which a row is a regression (default: ${DEFAULT-VALUE}).")
    double threshold;

    @Override
    public Integer call() throws Exception {
        Options.positive("--threshold", threshold);
        Map<String, Double> old = times(before), now = times(after);
        int regressions = 0, compared = 0;
        System.out.printf("%-60s %10s %10s %8s%n", "", "old ms", "new ms", "new/old");
        for (Map.Entry<String, Double> e : now.entrySet()) {
            Double o = old.get(e.getKey());
            if (o == null) {
                continue;
            }
            compared++;
            double ratio = e.getValue() / o;
            boolean slower = ratio > threshold;
            regressions += slower ? 1 : 0;
            System.out.printf("%-60s %10.3f %10.3f %7.2fx%s%n", e.getKey(), o, e.getValue(), ratio, slower ? "  REGRESSION" : "");
        }
        if (compared == 0) {
            throw new IllegalArgumentException("bench compare: " + before + " and " + after + " have no measurement in common");
        }
        System.out.printf("%d compared, %d slower than %.2fx%n", compared, regressions, threshold);
        return regressions == 0 ? 0 : 1;
    }

    /** Times (ms, lower is better) by a key naming what was measured. */
    private static Map<String, Double> times(Path file) throws java.io.IOException {
        JsonNode doc;
        try {
            doc = new ObjectMapper().readTree(file.toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new java.io.IOException("bench compare: " + file + " is not valid JSON (" + e.getOriginalMessage() + ")", e);
        }
        Map<String, Double> out = new LinkedHashMap<>();
        if ("network".equals(doc.path("kind").asText())) {
            String n = doc.path("network").asText() + " " + doc.path("mode").asText();
            doc.path("cnn4j").fields().forEachRemaining(f -> {
                if (f.getKey().endsWith("_ms")) {
                    out.put(n + " " + f.getKey(), f.getValue().asDouble());
                }
            });
            doc.path("layers").forEach(l -> out.put(n + " " + l.path("layer").asText(),
                    l.path("forward_ms").asDouble() + l.path("backward_ms").asDouble()));
        } else if (doc.has("results")) {
            doc.path("results").forEach(r -> out.put(r.path("layer").asText() + " " + r.path("direction").asText() + " "
                    + r.path("algorithm").asText(), r.path("median_ms").asDouble()));
        } else {
            throw new IllegalArgumentException("bench compare: " + file + " is not a cnn4j bench JSON file");
        }
        return out;
    }
}
