package org.cnn4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.cnn4j.backend.Backends;
import org.cnn4j.backend.cpu.NativeBackend;
import org.cnn4j.nn.Module;
import org.cnn4j.quant.CalibrationMethod;
import org.cnn4j.quant.Quantization;
import org.cnn4j.tensor.Tensor;

/**
 * cnn4j's own low-precision inference as a column of {@code bench --network ... --precision int8,bf16}: the network
 * quantised by {@link Quantization} (int8 calibrated by min/max on the bench's input and {@value #CALIBRATION_BATCHES}
 * more seeded batches drawn like it, or bf16), timed in the same rounds as the fp32 network, so its ratio is fp32's
 * time over its own. The output difference row says how far its logits are from fp32's on the same batch: the speed
 * is only half of the result, docs/quantization.md has the accuracy on trained models.
 */
public final class LowPrecisionPeer implements Peer {
    static final int CALIBRATION_BATCHES = 3;

    /** Which low-precision path. */
    public enum Precision {
        INT8, BF16;

        public static Precision parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--precision must be int8 or bf16 (comma-separated), got '" + s + "'");
            }
        }
    }

    private final Precision precision;

    public LowPrecisionPeer(Precision precision) {
        this.precision = precision;
    }

    @Override
    public String name() {
        return "cnn4j " + precision.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String id() {
        return "cnn4j_" + precision.name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String unavailable(PeerTask task) {
        if (task.training()) {
            return "an inference path: training runs in fp32";
        }
        return Backends.current() instanceof NativeBackend ? null : "its kernels are native, and this run uses the " + Backends.current().name() + " backend";
    }

    @Override
    public String version() {
        return precision == Precision.INT8 ? "(VNNI)" : "(AVX512_BF16)";
    }

    @Override
    public PeerSession open(PeerTask task) {
        Tensor x = input(task.dims(), task.input());
        Module net;
        if (precision == Precision.INT8) {
            List<Tensor> batches = new ArrayList<>(List.of(x));
            SplittableRandom r = new SplittableRandom(7);
            for (int b = 0; b < CALIBRATION_BATCHES; b++) {
                float[] v = task.input().clone();
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (r.nextDouble() - 0.5);
                }
                batches.add(input(task.dims(), v));
            }
            net = Quantization.int8(task.network(), batches, CalibrationMethod.MINMAX);
            batches.subList(1, batches.size()).forEach(Tensor::close);
        } else {
            net = Quantization.bf16(task.network());
        }
        return new PeerSession() {
            @Override
            public float[] run() {
                return net.forward(x).toArray();
            }

            @Override
            public void close() {
                x.close();
            }
        };
    }

    /** The task's NCHW values in the layout the backend's layers keep. */
    private static Tensor input(int[] dims, float[] nchw) {
        try (Tensor plain = Tensor.of(nchw, dims)) {
            return plain.toLayout(Backends.current().activationLayout());
        }
    }

    /** {@code --precision}'s peers. */
    public static List<Peer> of(List<String> names) {
        return names.stream().map(Precision::parse).distinct().map(p -> (Peer) new LowPrecisionPeer(p)).toList();
    }
}
