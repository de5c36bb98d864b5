package org.cnn4j.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.cnn4j.backend.Conv2dSpec;

/**
 * One convolution of a benchmark suite, read from oneDNN's benchdnn descriptor format, e.g.
 * {@code mb128ic32ih28oc64oh28kh3ph1n"fmnist_cnn:conv3"} or with a count, {@code n"name*4"}.
 * Missing widths equal heights, stride defaults to 1, padding to 0, and benchdnn's dilation counts the
 * gaps (dh1 = PyTorch dilation 2).
 */
public record ConvLayer(String name, int count, Conv2dSpec spec) {
    private static final Pattern FIELD = Pattern.compile("([a-z]+)(\\d+)");
    private static final Pattern NAME = Pattern.compile("n\"([^\"*]*)(?:\\*(\\d+))?\"\\s*$");

    /** Parses one descriptor line; {@code mbOverride} > 0 replaces its batch size. */
    public static ConvLayer parse(String line, int mbOverride) {
        String text = line.trim();
        Matcher nm = NAME.matcher(text);
        String name = "conv";
        int count = 1;
        if (nm.find()) {
            name = nm.group(1);
            count = nm.group(2) == null ? 1 : Integer.parseInt(nm.group(2));
            text = text.substring(0, nm.start());
        }
        Map<String, Integer> f = new HashMap<>();
        Matcher m = FIELD.matcher(text);
        int consumed = 0;
        while (m.find()) {
            if (m.start() != consumed) {
                throw new IllegalArgumentException("bench: cannot read '" + line + "' at '" + text.substring(consumed) + "'");
            }
            f.put(m.group(1), Integer.parseInt(m.group(2)));
            consumed = m.end();
        }
        if (consumed != text.length() || !f.containsKey("ic") || !f.containsKey("oc") || !f.containsKey("ih")) {
            throw new IllegalArgumentException("bench: descriptor '" + line + "' needs at least ic, ih, oc (and kh)");
        }
        int ih = f.get("ih"), iw = f.getOrDefault("iw", ih);
        int kh = f.getOrDefault("kh", 1), kw = f.getOrDefault("kw", kh);
        int sh = f.getOrDefault("sh", 1), sw = f.getOrDefault("sw", sh);
        int ph = f.getOrDefault("ph", 0), pw = f.getOrDefault("pw", ph);
        int dh = f.getOrDefault("dh", 0) + 1, dw = f.getOrDefault("dw", dh - 1) + 1;
        int mb = mbOverride > 0 ? mbOverride : f.getOrDefault("mb", 1);
        Conv2dSpec spec = new Conv2dSpec(mb, f.get("ic"), ih, iw, f.get("oc"), kh, kw, sh, sw, ph, ph, pw, pw, dh, dw,
                f.getOrDefault("g", 1));
        if (f.containsKey("oh") && f.get("oh") != spec.outH()) {
            throw new IllegalArgumentException("bench: '" + line + "' says oh" + f.get("oh") + " but its geometry gives " + spec.outH());
        }
        return new ConvLayer(name, count, spec);
    }
}
