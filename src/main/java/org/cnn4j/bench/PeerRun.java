package org.cnn4j.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@link Peer} in a bench run: its sessions, its medians round by round, and each round's ratio of cnn4j's time to
 * its own (below 1: cnn4j is faster), or the sentence saying why it has no figures. Whatever the peer throws, on opening
 * or in a round, becomes that sentence: a peer never ends the bench. Each round times a block of calls of one engine
 * after another's (see {@link OnnxBenchRun} for why blocks).
 */
final class PeerRun implements AutoCloseable {
    private final Peer peer;
    private final List<Double> ms = new ArrayList<>(), ratios = new ArrayList<>(), batchMs = new ArrayList<>(),
            batchRatios = new ArrayList<>();
    private PeerSession timed, batch;
    private String unavailable, version;
    private double difference = Double.NaN;

    private PeerRun(Peer peer) {
        this.peer = peer;
    }

    /**
     * Opens {@code peer} on {@code timed} (batch-1 latency, a training step, or {@code bench --onnx}'s batch) and, unless
     * null, on {@code batch} (throughput at the bench's batch size).
     */
    static PeerRun open(Peer peer, PeerTask timed, PeerTask batch) {
        PeerRun run = new PeerRun(peer);
        try {
            run.unavailable = peer.unavailable(timed);
            if (run.unavailable == null) {
                run.version = peer.version();
                run.timed = peer.open(timed);
                run.batch = batch == null ? null : peer.open(batch);
            }
        } catch (Exception | LinkageError e) {
            run.fail("cannot run " + timed.mode(), e);
        }
        return run;
    }

    Peer peer() {
        return peer;
    }

    boolean available() {
        return unavailable == null;
    }

    /** Compares one pass (of the batch session when there is one) with cnn4j's {@code mine}: the largest difference relative to the output's scale. */
    void compare(float[] mine) {
        if (!available()) {
            return;
        }
        try {
            float[] theirs = (batch != null ? batch : timed).run();
            if (theirs.length != mine.length) {
                fail(theirs.length + " output values where cnn4j gives " + mine.length, null);
                return;
            }
            difference = relativeDifference(mine, theirs);
        } catch (RuntimeException | LinkageError e) {
            fail("failed", e);
        }
    }

    /** Times one round: {@code reps} timed passes, and {@code batchReps} of the batch session; cnn4j's times of this round are given. */
    void round(int reps, double mineMs, int batchReps, double mineBatchMs) {
        if (!available()) {
            return;
        }
        try {
            double t = Timing.ms(reps, timed::run).median();
            ms.add(t);
            ratios.add(mineMs / t);
            if (batch != null) {
                double b = Timing.ms(batchReps, batch::run).median();
                batchMs.add(b);
                batchRatios.add(mineBatchMs / b);
            }
        } catch (RuntimeException | LinkageError e) {
            fail("failed", e);
        }
    }

    /** The JSON figures: medians, ratios and their rounds under keys named after {@code metric}; or {@code unavailable}. */
    Map<String, Object> figures(String metric, int mb) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", peer.name());
        if (!available() || ms.isEmpty()) {
            m.put("unavailable", available() ? "no rounds were run" : unavailable);
            return m;
        }
        m.put("version", version);
        m.put(metric, Timing.Samples.of(ms).median());
        m.put("round_" + metric, ms);
        m.put("ratio_" + metric, Timing.Samples.of(ratios).median());
        m.put("round_ratios", ratios);
        if (!batchMs.isEmpty()) {
            m.put("throughput", mb / Timing.Samples.of(batchMs).median() * 1000);
            m.put("ratio_batch_ms", Timing.Samples.of(batchRatios).median());
            m.put("round_batch_ratios", batchRatios);
        }
        if (!Double.isNaN(difference)) {
            m.put("max_difference", difference);
        }
        return m;
    }

    /** max |a - b| over max |b|. */
    static double relativeDifference(float[] a, float[] b) {
        double diff = 0, scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs((double) a[i] - b[i]));
            scale = Math.max(scale, Math.abs(b[i]));
        }
        return diff / Math.max(scale, Double.MIN_NORMAL);
    }

    private void fail(String what, Throwable e) {
        unavailable = peer.name() + " " + what + (e == null ? "" : ": " + (e.getMessage() != null ? e.getMessage() : e.getClass().getName()));
        close();
    }

    @Override
    public void close() {
        for (PeerSession s : new PeerSession[] {timed, batch}) {
            if (s != null) {
                try {
                    s.close();
                } catch (RuntimeException e) {
                    unavailable = unavailable != null ? unavailable : peer.name() + " failed to close: " + e.getMessage();
                }
            }
        }
        timed = batch = null;
    }
}
