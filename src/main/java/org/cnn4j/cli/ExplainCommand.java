package org.cnn4j.cli;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.cnn4j.audio.LogMelSpectrogram;
import org.cnn4j.audio.MelFilterbank;
import org.cnn4j.data.FashionMnist;
import org.cnn4j.explain.Explanations;
import org.cnn4j.explain.Pictures;
import org.cnn4j.explain.SoundExplanations;
import org.cnn4j.explain.SoundPictures;
import org.cnn4j.io.Images;
import org.cnn4j.io.ModelFile;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code cnn4j explain}: a heat map of why a model predicts a class for an image. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {"Draws which pixels of IMAGE drive the model's score for a class (the predicted one unless --class): "
                + "saliency (input gradient), smoothgrad (saliency averaged over noisy copies), gradcam (a conv layer's "
                + "gradient-weighted feature maps; default layer: the last convolution) or occlusion (probability drop when "
                + "a window is blanked). The map is overlaid on the image and written as PNG. For a sound model the input is "
                + "a WAV clip and the PNG shows its waveform over the map in time and its log-mel spectrogram under the map "
                + "in time and frequency: gradcam (over time and, for a spectrogram model, frequency), saliency, occlusion "
                + "(a window of --window-ms silenced) or occlusion-frequency (one of --bands frequency bands removed).",
                "Example: cnn4j explain --model-file demo-out/model.cnn4j examples/disc.png --method gradcam --out map.png",
                "Example: cnn4j explain --model-file demo-out/sound.cnn4j clip.wav --method occlusion-frequency --out why.png"})
final class ExplainCommand implements Callable<Integer> {
    @Option(names = "--model-file", required = true, description = "A file written by cnn4j train or demo.")
    Path modelFile;

    @Parameters(paramLabel = "FILE", description = "PNG, JPEG, BMP or GIF, read as grayscale and resized to the model's input; a WAV "
            + "clip for a sound model.")
    Path image;

    @Option(names = "--method", defaultValue = "gradcam", description = "saliency, smoothgrad, gradcam or occlusion (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--layer", description = "Layer for gradcam (default: the last convolution).")
    String layer;

    @Option(names = "--class", description = "Class index to explain (default: the predicted class).")
    Integer cls;

    @Option(names = "--window", defaultValue = "6", description = "Occlusion window (default: ${DEFAULT-VALUE}).")
    int window;

    @Option(names = "--stride", defaultValue = "2", description = "Occlusion stride (default: ${DEFAULT-VALUE}).")
    int stride;

    @Option(names = "--window-ms", description = "Sound: occlusion window in milliseconds (default: 100, or a quarter of a clip "
            + "shorter than 400 ms).")
    Double windowMs;

    @Option(names = "--stride-ms", description = "Sound: occlusion stride in milliseconds (default: a quarter of the window).")
    Double strideMs;

    @Option(names = "--bands", defaultValue = "16", description = "Sound: frequency bands for occlusion-frequency (default: ${DEFAULT-VALUE}).")
    int bands;

    @Option(names = "--invert", description = "Invert the gray levels first (dark objects on a light background).")
    boolean invert;

    @Option(names = "--out", defaultValue = "explanation.png", description = "Output PNG (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws Exception {
        Options.atLeast("--window", window, 1);
        Options.atLeast("--stride", stride, 1);
        ModelFile.Saved saved = ModelFile.read(modelFile);
        if (cls != null) {
            Options.between("--class", cls, 0, saved.classNames().size() - 1);
        }
        if (saved.isSound()) {
            try (Module net = saved.model(); Tensor x = ModelInput.read(image, saved, false)) {
                explainSound(saved, net, x);
            }
            return 0;
        }
        try (Module net = saved.model(); Tensor x = ModelInput.read(image, saved.height(), saved.width(), invert)) {
            int predicted = Explanations.predictedClass(net, x);
            int target = cls == null ? predicted : cls;
            float[] map = switch (method.toLowerCase(Locale.ROOT)) {
                case "saliency" -> Explanations.saliency(net, x, target);
                case "smoothgrad" -> Explanations.smoothGrad(net, x, target, 16, 0.15f, 1);
                case "gradcam" -> Explanations.gradCam(net, layer == null ? lastConvolution(net) : layer, x, target);
                case "occlusion" -> Explanations.occlusion(net, x, target, window, stride, -FashionMnist.MEAN / FashionMnist.STD);
                default -> throw new IllegalArgumentException("--method must be saliency, smoothgrad, gradcam or occlusion, got " + method);
            };
            float[] pixels = x.toArray();
            Images.writePng(Pictures.heatOverlay(pixels, map, saved.height(), saved.width(), 8), out);
            System.out.printf("%s: predicted %s (%.1f%%); %s map for class %s written to %s%n", image,
                    saved.classNames().get(predicted), 100 * Explanations.probabilities(net, x)[predicted], method,
                    saved.classNames().get(target), out);
        }
        return 0;
    }

    /** The sound-model explanation: a heat map over time on the waveform and over time and frequency on the spectrogram. */
    private void explainSound(ModelFile.Saved saved, Module net, Tensor x) throws IOException {
        int rate = saved.sampleRate(), samples = x.dim(3);
        double clipMs = 1000.0 * samples / rate, windowIn = windowMs != null ? windowMs : Math.min(100, clipMs / 4);
        double strideIn = strideMs != null ? strideMs : windowIn / 4;
        int window = (int) Math.round(windowIn * rate / 1000), step = (int) Math.round(strideIn * rate / 1000);
        if (window < 1 || window > samples || step < 1) {
            throw new IllegalArgumentException("--window-ms and --stride-ms must make at least one sample at " + rate + " Hz and the window "
                    + "at most the clip's " + clipMs + " ms, got " + windowIn + " and " + strideIn);
        }
        Options.between("--bands", bands, 1, samples / 2);
        int predicted = Explanations.predictedClass(net, x);
        int target = cls == null ? predicted : cls;
        LogMelSpectrogram own = ownFrontEnd(net);
        LogMelSpectrogram frontEnd = own != null ? own : LogMelSpectrogram.speech(rate);
        int mels = frontEnd.mels(), frames = frontEnd.frames(samples);
        float[] spectrogram = frontEnd.forward(x).toArray();
        if (own == null) {
            frontEnd.close();
        }
        float[] overTime = null, overSpectrogram;
        switch (method.toLowerCase(Locale.ROOT)) {
            case "gradcam" -> {
                String at = layer == null ? lastConvolution(net) : layer;
                overTime = SoundExplanations.gradCamOverTime(net, at, x, target);
                overSpectrogram = own != null ? SoundExplanations.gradCamOverSpectrogram(net, at, x, target, mels, frames)
                        : alongTime(overTime, mels, frames);
            }
            case "saliency" -> {
                overTime = Explanations.saliency(net, x, target);
                overSpectrogram = alongTime(overTime, mels, frames);
            }
            case "occlusion" -> {
                overTime = SoundExplanations.occlusionOverTime(net, x, target, window, step, -saved.mean() / saved.std());
                overSpectrogram = alongTime(overTime, mels, frames);
            }
            case "occlusion-frequency" -> overSpectrogram = alongFrequency(SoundExplanations.occlusionOverFrequency(net, x, rate, target,
                    bands), frontEnd, frames);
            default -> throw new IllegalArgumentException("--method for a sound model must be gradcam, saliency, occlusion or "
                    + "occlusion-frequency, got " + method);
        }
        List<BufferedImage> panels = List.of(SoundPictures.waveform(x.toArray(), overTime, 4 * frames, 96),
                SoundPictures.spectrogram(spectrogram, mels, frames, overSpectrogram, 4));
        List<String> captions = List.of(overTime == null ? "waveform" : "waveform over the " + method + " map in time",
                "log-mel spectrogram (" + mels + " bands up to " + Math.round(frontEnd.fMax()) + " Hz) under the " + method + " map");
        Images.writePng(Pictures.grid(panels, captions, 1), out);
        System.out.printf("%s: predicted %s (%.1f%%); %s map for class %s written to %s%n", image, saved.classNames().get(predicted),
                100 * Explanations.probabilities(net, x)[predicted], method, saved.classNames().get(target), out);
    }

    /** The model's own spectrogram front end, or null for a waveform model. */
    private static LogMelSpectrogram ownFrontEnd(Module net) {
        return net.children().values().stream().filter(LogMelSpectrogram.class::isInstance).map(LogMelSpectrogram.class::cast)
                .findFirst().orElse(null);
    }

    /** A weight per sample as a [bands, frames] map, the same in every band. */
    private static float[] alongTime(float[] perSample, int bands, int frames) {
        float[] perFrame = SoundExplanations.meanPerPart(perSample, frames), map = new float[bands * frames];
        for (int b = 0; b < bands; b++) {
            System.arraycopy(perFrame, 0, map, b * frames, frames);
        }
        return map;
    }

    /** Band drops as a [mels, frames] map: each mel row takes the drop of the band its centre frequency lies in. */
    private static float[] alongFrequency(SoundExplanations.BandDrops drops, LogMelSpectrogram frontEnd, int frames) {
        int mels = frontEnd.mels();
        float[] map = new float[mels * frames];
        double lo = MelFilterbank.hzToMel(frontEnd.fMin()), hi = MelFilterbank.hzToMel(frontEnd.fMax());
        for (int m = 0; m < mels; m++) {
            double centre = MelFilterbank.melToHz(lo + (hi - lo) * (m + 1) / (mels + 1));
            int band = 0;
            while (band < drops.drop().length - 1 && centre >= drops.highHz()[band]) {
                band++;
            }
            Arrays.fill(map, m * frames, (m + 1) * frames, drops.drop()[band]);
        }
        return map;
    }

    /** The name of the last Conv2d of a Sequential or Graph model. */
    static String lastConvolution(Module net) {
        String last = null;
        for (var e : net.children().entrySet()) {
            if (e.getValue() instanceof org.cnn4j.nn.Conv2d) {
                last = e.getKey();
            }
        }
        if (last == null) {
            throw new IllegalArgumentException("explain: the model has no convolution layer at its top level; give --layer");
        }
        return last;
    }
}
