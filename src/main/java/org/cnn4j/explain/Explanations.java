package org.cnn4j.explain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.cnn4j.kernels.Loss;
import org.cnn4j.nn.Graph;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;

/**
 * Why did the model predict what it did? Maps over the input image [1, C, H, W] of how much each pixel
 * matters to the score (logit) of a class, all returned as [H, W] arrays (row-major):
 * <ul>
 *   <li>{@link #saliency}: |d score / d pixel|, the largest over channels (Simonyan et al.);</li>
 *   <li>{@link #smoothGrad}: the saliency averaged over noisy copies of the image (Smilkov et al.);</li>
 *   <li>{@link #gradCam}: a convolutional layer's feature maps weighted by the mean gradient of the score
 *       with respect to each, summed and rectified, upsampled to the image (Selvaraju et al.);</li>
 *   <li>{@link #occlusion}: the drop in the class probability when a square window of the image is
 *       blanked, averaged over the windows covering each pixel (Zeiler and Fergus).</li>
 * </ul>
 * The model is switched to eval mode; its parameters are not changed.
 */
public final class Explanations {
    private Explanations() {
    }

    /** The most probable class of one image. */
    public static int predictedClass(Module model, Tensor image) {
        float[] p = probabilities(model, image);
        int best = 0;
        for (int k = 1; k < p.length; k++) {
            if (p[k] > p[best]) {
                best = k;
            }
        }
        return best;
    }

    /** Softmax of the logits: for a batch [N, C, H, W], N rows of class probabilities one after the other. */
    public static float[] probabilities(Module model, Tensor image) {
        model.eval();
        Tensor logits = model.forward(image);
        try (Tensor probs = Tensor.zeros(logits.dims())) {
            Loss.softmax(logits, probs);
            return probs.toArray();
        }
    }

    public static float[] saliency(Module model, Tensor image, int cls) {
        checkImage(image);
        boolean before = model.needsInputGrad();
        model.setNeedsInputGrad(true);
        try {
            model.eval();
            Tensor logits = model.forward(image);
            checkClass(cls, logits.dim(1));
            try (Tensor onehot = oneHot(logits.dim(1), cls)) {
                Tensor g = model.backward(onehot);
                return maxAbsOverChannels(g.toArray(), image.dim(1), image.dim(2) * image.dim(3));
            }
        } finally {
            model.setNeedsInputGrad(before);
        }
    }

    public static float[] smoothGrad(Module model, Tensor image, int cls, int samples, float noise, long seed) {
        checkImage(image);
        if (samples <= 0 || !(noise >= 0) || Float.isInfinite(noise)) {
            throw new IllegalArgumentException("smoothgrad: samples must be > 0 and noise >= 0, got " + samples + " and " + noise);
        }
        float[] x = image.toArray(), sum = new float[image.dim(2) * image.dim(3)];
        SplittableRandom rnd = new SplittableRandom(seed);
        try (Tensor noisy = Tensor.zeros(image.dims())) {
            for (int s = 0; s < samples; s++) {
                float[] v = x.clone();
                for (int i = 0; i < v.length; i++) {
                    v[i] += (float) (noise * gaussian(rnd));
                }
                noisy.copyFrom(v);
                float[] m = saliency(model, noisy, cls);
                for (int i = 0; i < m.length; i++) {
                    sum[i] += m[i] / samples;
                }
            }
        }
        return sum;
    }

    /** Grad-CAM at the layer (Sequential) or node (Graph) named {@code layer}, upsampled to the image size. */
    public static float[] gradCam(Module model, String layer, Tensor image, int cls) {
        Map2d cam = gradCamMap(model, layer, image, cls);
        return upsample(cam.values(), cam.height(), cam.width(), image.dim(2), image.dim(3));
    }

    /** A map of {@code height x width} values, row by row. */
    public record Map2d(float[] values, int height, int width) {
        /** This map resized bilinearly to {@code h x w}. */
        public float[] resized(int h, int w) {
            return upsample(values, height, width, h, w);
        }
    }

    /**
     * Grad-CAM at the layer named {@code layer} at that layer's own resolution: ReLU of the feature maps weighted by
     * their mean gradients. A sound model's map is resized to its spectrogram's or waveform's axes by the caller.
     */
    public static Map2d gradCamMap(Module model, String layer, Tensor image, int cls) {
        checkImage(image);
        model.eval();
        LayerCapture capture = LayerCapture.of(model, layer, image, cls);
        int k = capture.activation.length / capture.plane;
        float[] cam = new float[capture.plane];
        for (int ch = 0; ch < k; ch++) {
            double alpha = 0;
            for (int i = 0; i < capture.plane; i++) {
                alpha += capture.gradient[ch * capture.plane + i];
            }
            alpha /= capture.plane;
            for (int i = 0; i < capture.plane; i++) {
                cam[i] += (float) (alpha * capture.activation[ch * capture.plane + i]);
            }
        }
        for (int i = 0; i < cam.length; i++) {
            cam[i] = Math.max(cam[i], 0f);
        }
        return new Map2d(cam, capture.height, capture.width);
    }

    /** Occluded copies per forward pass: batching them makes occlusion tens of times faster than one image per pass. */
    private static final int OCCLUSION_BATCH = 64;

    public static float[] occlusion(Module model, Tensor image, int cls, int window, int stride, float fill) {
        return occlusion(model, image, cls, window, window, stride, fill);
    }

    /**
     * The drop in the class's probability when a {@code windowH x windowW} window is set to {@code fill}, averaged over
     * the windows covering each pixel; a sound model's waveform [1, 1, 1, L] is occluded with {@code windowH} 1.
     */
    public static float[] occlusion(Module model, Tensor image, int cls, int windowH, int windowW, int stride, float fill) {
        checkImage(image);
        int c = image.dim(1), h = image.dim(2), w = image.dim(3), per = c * h * w;
        if (windowH <= 0 || windowW <= 0 || stride <= 0 || windowH > h || windowW > w) {
            throw new IllegalArgumentException("occlusion: window must be in 1.." + h + " x 1.." + w + " and stride > 0, got "
                    + windowH + "x" + windowW + " and " + stride);
        }
        float[] unoccluded = probabilities(model, image);
        checkClass(cls, unoccluded.length);
        float base = unoccluded[cls];
        List<int[]> corners = new ArrayList<>();
        for (int y0 = 0; y0 + windowH <= h; y0 += stride) {
            for (int x0 = 0; x0 + windowW <= w; x0 += stride) {
                corners.add(new int[] {y0, x0});
            }
        }
        float[] x = image.toArray(), sum = new float[h * w], count = new float[h * w];
        for (int first = 0; first < corners.size(); first += OCCLUSION_BATCH) {
            int n = Math.min(OCCLUSION_BATCH, corners.size() - first);
            float[] batch = new float[n * per];
            for (int b = 0; b < n; b++) {
                System.arraycopy(x, 0, batch, b * per, per);
                int y0 = corners.get(first + b)[0], x0 = corners.get(first + b)[1];
                for (int ch = 0; ch < c; ch++) {
                    for (int y = y0; y < y0 + windowH; y++) {
                        Arrays.fill(batch, b * per + (ch * h + y) * w + x0, b * per + (ch * h + y) * w + x0 + windowW, fill);
                    }
                }
            }
            float[] p;
            try (Tensor occluded = Tensor.of(batch, n, c, h, w)) {
                p = probabilities(model, occluded);
            }
            int classes = p.length / n;
            for (int b = 0; b < n; b++) {
                float drop = base - p[b * classes + cls];
                int y0 = corners.get(first + b)[0], x0 = corners.get(first + b)[1];
                for (int y = y0; y < y0 + windowH; y++) {
                    for (int xx = x0; xx < x0 + windowW; xx++) {
                        sum[y * w + xx] += drop;
                        count[y * w + xx]++;
                    }
                }
            }
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] = count[i] == 0 ? 0 : sum[i] / count[i];
        }
        return sum;
    }

    /** A layer's output for one image and the gradient of the class score with respect to it. */
    private record LayerCapture(float[] activation, float[] gradient, int plane, int height, int width) {
        static LayerCapture of(Module model, String layer, Tensor image, int cls) {
            Graph graph = Graph.of(model, "grad-cam");
            if (!graph.nodeNames().contains(layer)) {
                throw new IllegalArgumentException("grad-cam: no layer '" + layer + "' (layers: " + graph.nodeNames() + ")");
            }
            boolean before = graph.needsInputGrad();
            graph.setNeedsInputGrad(true);
            try {
                Tensor logits = graph.forward(image);
                Tensor act = graph.valueOf(layer);
                requireFeatureMap(layer, act);
                float[] a = act.toArray();
                checkClass(cls, logits.dim(1));
                try (Tensor onehot = oneHot(logits.dim(1), cls)) {
                    graph.backward(onehot);
                    return new LayerCapture(a, graph.gradientOf(layer).toArray(), act.dim(2) * act.dim(3), act.dim(2), act.dim(3));
                }
            } finally {
                graph.setNeedsInputGrad(before);
            }
        }
    }

    private static void requireFeatureMap(String layer, Tensor act) {
        if (act == null || act.rank() != 4) {
            throw new IllegalArgumentException("grad-cam: layer '" + layer + "' does not output feature maps [N, C, H, W]");
        }
    }

    private static Tensor oneHot(int classes, int cls) {
        float[] v = new float[classes];
        v[cls] = 1;
        return Tensor.of(v, 1, classes);
    }

    private static void checkImage(Tensor image) {
        if (image == null || image.rank() != 4 || image.dim(0) != 1) {
            throw new IllegalArgumentException("explain: image must be one image [1, C, H, W], got " + (image == null ? "null" : image.shape()));
        }
    }

    private static void checkClass(int cls, int classes) {
        if (cls < 0 || cls >= classes) {
            throw new IllegalArgumentException("explain: class " + cls + " is not in 0.." + (classes - 1));
        }
    }

    private static float[] maxAbsOverChannels(float[] g, int channels, int plane) {
        float[] m = new float[plane];
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < plane; i++) {
                m[i] = Math.max(m[i], Math.abs(g[c * plane + i]));
            }
        }
        return m;
    }

    /** Bilinear resize of a [h, w] map to [outH, outW] (pixel centres aligned). */
    static float[] upsample(float[] src, int h, int w, int outH, int outW) {
        float[] out = new float[outH * outW];
        for (int y = 0; y < outH; y++) {
            double sy = Math.min(Math.max((y + 0.5) * h / outH - 0.5, 0), h - 1);
            int y0 = (int) sy, y1 = Math.min(y0 + 1, h - 1);
            double fy = sy - y0;
            for (int x = 0; x < outW; x++) {
                double sx = Math.min(Math.max((x + 0.5) * w / outW - 0.5, 0), w - 1);
                int x0 = (int) sx, x1 = Math.min(x0 + 1, w - 1);
                double fx = sx - x0;
                out[y * outW + x] = (float) ((1 - fy) * ((1 - fx) * src[y0 * w + x0] + fx * src[y0 * w + x1])
                        + fy * ((1 - fx) * src[y1 * w + x0] + fx * src[y1 * w + x1]));
            }
        }
        return out;
    }

    private static double gaussian(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
