package org.cnn4j.data.augment;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Augmentations applied in order to each training image or waveform. {@link #parse} reads the command
 * line's form, comma-separated {@code name[=value]}; for images:
 * <pre>
 *   crop=P      pad by P pixels and crop back (a random shift)     flip[=p]     horizontal flip (p 0.5)
 *   rotate=DEG  rotation up to DEG degrees   scale=S  zoom 1 +- S   shift=F      shift up to F of the size
 *   jitter=J    brightness and contrast 1 +- J                     noise=SIGMA  Gaussian pixel noise
 *   erase[=p]   random erasing of 2-20% of the image (p 0.5)       standard     {@link #standard()}
 * </pre>
 * rotate, scale and shift make one affine transformation. For waveforms ([1, 1, length], see
 * {@link org.cnn4j.audio.AudioFolder}), names of their own, since shifting or adding noise to sound
 * means something else:
 * <pre>
 *   timeshift=F      shift by up to F of the length, silence filled   timeroll=F  the same, circular
 *   gain=DB          gain of -DB..+DB decibels                        speed=A     speed and pitch x (1 +- A)
 *   whitenoise=LO-HI white noise at an SNR of LO..HI dB (or =SNR)    pinknoise=LO-HI  pink noise, likewise
 *   eq=DB            three random peaking filters of -DB..+DB dB     audio       {@link #standardAudio()}
 * </pre>
 */
public final class AugmentationPipeline {
    private static final String KNOWN = "crop=P, flip[=p], rotate=DEG, scale=S, shift=F, jitter=J, noise=SIGMA, erase[=p], standard; "
            + "for audio timeshift=F, timeroll=F, gain=DB, speed=A, eq=DB, whitenoise=LO-HI, pinknoise=LO-HI, audio";
    /** The names whose value is an SNR range such as 10-30 rather than one number. */
    private static final Set<String> SNR_RANGES = Set.of("whitenoise", "pinknoise");
    private static final Pattern RANGE = Pattern.compile("(-?[0-9.]+)(?:-(-?[0-9.]+))?");

    private final List<Augmentation> steps;

    public AugmentationPipeline(List<Augmentation> steps) {
        this.steps = List.copyOf(steps);
    }

    public static AugmentationPipeline of(Augmentation... steps) {
        return new AugmentationPipeline(List.of(steps));
    }

    /**
     * A pipeline for small gray images such as Fashion-MNIST's: shift by up to 2 pixels, flip, rotate up to
     * 10 degrees and zoom by up to 10%, brightness/contrast jitter of 10%, and random erasing of a quarter
     * of the images.
     */
    public static AugmentationPipeline standard() {
        return of(new RandomCrop(2), new HorizontalFlip(0.5), new RandomAffine(10, 0.1, 0), new ColorJitter(0.1, 0.1),
                new RandomErasing(0.25));
    }

    /**
     * A pipeline for spoken words and other short sounds: speed (and pitch) x (1 +- 0.1), a zero-filled time
     * shift of up to 10% of the clip, a gain of -6..+6 dB and pink noise at 10-30 dB SNR; the spec
     * {@code speed=0.1,timeshift=0.1,gain=6,pinknoise=10-30}.
     */
    public static AugmentationPipeline standardAudio() {
        return of(new SpeedPerturb(0.1), new TimeShift(0.1, false), new Gain(6), new NoiseMix(10, 30, NoiseMix.Color.PINK));
    }

    /** The pipeline a spec such as {@code "crop=4,flip,rotate=10,erase=0.25"} describes; errors list the known names. */
    public static AugmentationPipeline parse(String spec) {
        List<Augmentation> steps = new ArrayList<>();
        double degrees = 0, scale = 0, shift = 0;
        int affineAt = -1;
        for (String token : spec.split(",")) {
            String t = token.trim().toLowerCase(Locale.ROOT);
            if (t.isEmpty()) {
                continue;
            }
            int eq = t.indexOf('=');
            String name = eq < 0 ? t : t.substring(0, eq);
            String raw = eq < 0 ? null : t.substring(eq + 1);
            Double value = raw == null || SNR_RANGES.contains(name) ? null : number(raw, token);
            switch (name) {
                case "standard" -> steps.addAll(standard().steps);
                case "crop" -> steps.add(new RandomCrop(required(value, token).intValue()));
                case "flip" -> steps.add(new HorizontalFlip(value == null ? 0.5 : value));
                case "jitter" -> steps.add(new ColorJitter(required(value, token), required(value, token)));
                case "noise" -> steps.add(new GaussianNoise(required(value, token)));
                case "erase" -> steps.add(new RandomErasing(value == null ? 0.5 : value));
                case "audio" -> steps.addAll(standardAudio().steps);
                case "timeshift" -> steps.add(new TimeShift(required(value, token), false));
                case "timeroll" -> steps.add(new TimeShift(required(value, token), true));
                case "gain" -> steps.add(new Gain(required(value, token)));
                case "speed" -> steps.add(new SpeedPerturb(required(value, token)));
                case "eq" -> steps.add(new RandomEq(3, required(value, token)));
                case "whitenoise", "pinknoise" -> {
                    double[] snr = snrRange(raw, token);
                    steps.add(new NoiseMix(snr[0], snr[1], name.equals("pinknoise") ? NoiseMix.Color.PINK : NoiseMix.Color.WHITE));
                }
                case "rotate", "scale", "shift" -> {
                    double v = required(value, token);
                    if (name.equals("rotate")) {
                        degrees = v;
                    } else if (name.equals("scale")) {
                        scale = v;
                    } else {
                        shift = v;
                    }
                    if (affineAt < 0) {
                        affineAt = steps.size();
                        steps.add(null); // the affine step's place, filled once all its parts are read
                    }
                }
                default -> throw new IllegalArgumentException("augment: unknown '" + token.trim() + "' (known: " + KNOWN + ")");
            }
        }
        if (affineAt >= 0) {
            steps.set(affineAt, new RandomAffine(degrees, scale, shift));
        }
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("augment: '" + spec + "' names no augmentation (known: " + KNOWN + ")");
        }
        return new AugmentationPipeline(steps);
    }

    private static double number(String s, String token) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("augment: '" + token.trim() + "' needs a number after '='");
        }
    }

    /** {lo, hi} from "LO-HI" or one "SNR" (lo = hi), in dB. */
    private static double[] snrRange(String raw, String token) {
        Matcher m = raw == null ? null : RANGE.matcher(raw);
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("augment: '" + token.trim() + "' needs an SNR range in dB, e.g. "
                    + token.trim().split("=")[0] + "=10-30");
        }
        double lo = number(m.group(1), token);
        return new double[] {lo, m.group(2) == null ? lo : number(m.group(2), token)};
    }

    private static Double required(Double value, String token) {
        if (value == null) {
            throw new IllegalArgumentException("augment: '" + token.trim() + "' needs a value, e.g. " + token.trim() + "=0.1");
        }
        return value;
    }

    public List<Augmentation> steps() {
        return steps;
    }

    /** Applies every step in order to one image. */
    public void apply(float[] pixels, float[] scratch, int channels, int height, int width, SplittableRandom rnd) {
        for (Augmentation a : steps) {
            a.apply(pixels, scratch, channels, height, width, rnd);
        }
    }

    @Override
    public String toString() {
        return steps.toString();
    }
}
