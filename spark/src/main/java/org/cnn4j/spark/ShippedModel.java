package org.cnn4j.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.cnn4j.io.ModelFile;

/**
 * A cnn4j model file as bytes, to broadcast once to every executor, with the SHA-256 of those bytes as
 * the key under which each executor JVM keeps the model it reads from them ({@link ExecutorModels}).
 * A plain class rather than a record, so that any Spark serializer (Java's or Kryo) ships it.
 */
final class ShippedModel implements Serializable {
    private final String origin;
    private final byte[] bytes;
    private final String key;

    private ShippedModel(String origin, byte[] bytes, String key) {
        this.origin = origin;
        this.bytes = bytes;
        this.key = key;
    }

    /** The file's bytes, after checking on the driver that they read as a model (errors name the file). */
    static ShippedModel of(Path file) throws IOException {
        ModelFile.read(file).model().close();
        byte[] bytes = Files.readAllBytes(file);
        return new ShippedModel(file.toString(), bytes, sha256(bytes));
    }

    /** {@code saved} written as a model file (the architecture and weights a training run starts from). */
    static ShippedModel of(ModelFile.Saved saved, String origin) {
        try {
            Path file = Files.createTempFile("cnn4j-spark-", ".cnn4j");
            try {
                ModelFile.write(file, saved);
                byte[] bytes = Files.readAllBytes(file);
                return new ShippedModel(origin, bytes, sha256(bytes));
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("model " + origin + ": cannot write it to ship to the executors: " + e.getMessage(), e);
        }
    }

    /**
     * Reads the model from the bytes (the core reads model files from paths: a temporary file carries
     * them); the caller closes {@code model()}.
     */
    ModelFile.Saved read() {
        try {
            Path file = Files.createTempFile("cnn4j-spark-", ".cnn4j");
            try {
                Files.write(file, bytes);
                return ModelFile.read(file);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("model " + origin + " (shipped to this executor): " + e.getMessage(), e);
        }
    }

    /** Where the bytes came from, for messages. */
    String origin() {
        return origin;
    }

    /** The SHA-256 of the bytes: the same model file has the same key on every executor. */
    String key() {
        return key;
    }

    int size() {
        return bytes.length;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
