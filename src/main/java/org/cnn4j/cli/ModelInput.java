package org.cnn4j.cli;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.cnn4j.audio.AudioFolder;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.data.ImageFolder;
import org.cnn4j.io.Images;
import org.cnn4j.io.ModelFile;
import org.cnn4j.quant.QuantizedModelFile;
import org.cnn4j.tensor.Tensor;

/**
 * What predict and eval read: a model file (f32, or quantised by cnn4j quantize), and an image file as the model's
 * input [1, C, h, w] (grayscale or RGB, resized, normalised as in training) or, for a sound model, a WAV file as
 * its waveform [1, 1, 1, samples] (mono, resampled, fitted to the clip length).
 */
final class ModelInput {
    private ModelInput() {
    }

    /** A model file of either kind: a quantised one (QuantizedModelFile) is told from an f32 one by its magic. */
    static ModelFile.Saved readModel(Path file) throws IOException {
        return QuantizedModelFile.isQuantized(file) ? QuantizedModelFile.read(file) : ModelFile.read(file);
    }

    /** {@code file} as {@code model}'s input: a WAV clip for a sound model, else an image in its channels (gray or RGB), size and normalisation. */
    static Tensor read(Path file, ModelFile.Saved model, boolean invert) throws IOException {
        if (model.isSound()) {
            float[] clip = AudioFolder.readClip(file, model.sampleRate(), model.width());
            for (int i = 0; i < clip.length; i++) {
                clip[i] = (clip[i] - model.mean()) / model.std();
            }
            return Tensor.of(clip, 1, 1, 1, model.width());
        }
        Path image = file;
        if (model.channels() == 1) {
            return read(image, model.height(), model.width(), invert, model.mean(), model.std());
        }
        float[] v = ImageFolder.readImage(image, model.channels(), model.height(), model.width());
        for (int i = 0; i < v.length; i++) {
            v[i] = ((invert ? 1 - v[i] : v[i]) - model.mean()) / model.std();
        }
        return Tensor.of(v, 1, model.channels(), model.height(), model.width());
    }

    /** {@code image} as a Fashion-MNIST model's input of size h x w. */
    static Tensor read(Path image, int h, int w, boolean invert) throws IOException {
        return read(image, h, w, invert, FashionMnist.MEAN, FashionMnist.STD);
    }

    private static Tensor read(Path image, int h, int w, boolean invert, float mean, float std) throws IOException {
        try (Tensor gray = Images.readGray(image)) {
            float[] g = gray.toArray();
            BufferedImage src = new BufferedImage(gray.dim(3), gray.dim(2), BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < gray.dim(2); y++) {
                for (int x = 0; x < gray.dim(3); x++) {
                    src.getRaster().setSample(x, y, 0, Math.round(255 * g[y * gray.dim(3) + x]));
                }
            }
            BufferedImage dst = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
            Graphics2D g2 = dst.createGraphics();
            g2.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g2.drawImage(src, 0, 0, w, h, null);
            g2.dispose();
            float[] v = new float[h * w];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    float pix = dst.getRaster().getSample(x, y, 0) / 255f;
                    v[y * w + x] = ((invert ? 1 - pix : pix) - mean) / std;
                }
            }
            return Tensor.of(v, 1, 1, h, w);
        }
    }
}
