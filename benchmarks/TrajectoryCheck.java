import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.cnn4j.data.DataLoader;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.data.ImageDataset;
import org.cnn4j.nn.Parameter;
import org.cnn4j.optim.Adam;
import org.cnn4j.tensor.Tensor;
import org.cnn4j.train.Metrics;
import org.cnn4j.train.Trainer;
import org.cnn4j.zoo.Zoo;

/**
 * cnn4j's side of benchmarks/trajectory_check.py: loads the weights and batch order PyTorch exported
 * to DIR (raw little-endian float32 per parameter, named like cnn4j's parameters; int32 image indices,
 * one permutation of the training set per epoch), takes STEPS Adam steps on fmnist-cnn (469 per epoch,
 * the last of 96 images) and prints each step's loss, then the test set's loss and accuracy (a
 * fraction) in eval mode.
 *
 *     java -cp "target/cnn4j.jar:$(cat target/classpath.txt)" benchmarks/TrajectoryCheck.java DIR DATA STEPS
 */
public final class TrajectoryCheck {
    private static final int BATCH = 128;

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int steps = Integer.parseInt(args[2]);
        org.cnn4j.nn.Module net = Zoo.build("fmnist-cnn", 1, 28, 28, 10);
        for (Map.Entry<String, Parameter> p : net.namedParameters().entrySet()) {
            Tensor target = p.getValue().value();
            try (Tensor exported = Tensor.of(floats(dir.resolve(p.getKey() + ".f32")), target.dims())) {
                target.copyFrom(exported);
            }
        }
        ByteBuffer orderBytes = littleEndian(dir.resolve("order.i32"));
        int[] order = new int[orderBytes.remaining() / 4];
        orderBytes.asIntBuffer().get(order);
        ImageDataset data = FashionMnist.fromDirectory(Path.of(args[1]), true);
        Trainer trainer = new Trainer(net, new Adam(net.parameters(), 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, false), null);
        net.train();
        int size = data.imageSize(), perEpoch = (data.size() + BATCH - 1) / BATCH;
        StringBuilder losses = new StringBuilder();
        for (int s = 0; s < steps; s++) {
            int start = s / perEpoch * data.size() + s % perEpoch * BATCH;
            int n = Math.min(BATCH, data.size() - s % perEpoch * BATCH);
            float[] x = new float[n * size];
            float[] y = new float[n];
            for (int i = 0; i < n; i++) {
                int image = order[start + i];
                // the batches come in PyTorch's exported order; normalised as DataLoader and PyTorch do
                for (int p = 0; p < size; p++) {
                    x[i * size + p] = (data.pixels()[image * size + p] - FashionMnist.MEAN) / FashionMnist.STD;
                }
                y[i] = data.labels()[image];
            }
            try (Tensor images = Tensor.of(x, n, 1, 28, 28); Tensor labels = Tensor.of(y, n)) {
                losses.append(String.format("%.6f ", trainer.step(images, labels)));
            }
        }
        try (DataLoader testSet = new DataLoader(FashionMnist.fromDirectory(Path.of(args[1]), false), 500, false, 0,
                FashionMnist.MEAN, FashionMnist.STD)) {
            Metrics test = trainer.evaluate(testSet);
            System.out.println(losses.append(String.format("%.6f %.6f", test.loss(), test.accuracy())));
        }
    }

    private static float[] floats(Path file) throws IOException {
        ByteBuffer b = littleEndian(file);
        float[] v = new float[b.remaining() / 4];
        b.asFloatBuffer().get(v);
        return v;
    }

    private static ByteBuffer littleEndian(Path file) throws IOException {
        return ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    }
}
