package org.cnn4j.backend.cpu;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.cnn4j.backend.Conv2dSpec;
import org.cnn4j.backend.ConvAlgorithm;
import org.cnn4j.backend.ConvDirection;

/**
 * Every convolution implementation, and per direction the ordered list {@link ConvAlgorithm#AUTO} walks
 * (oneDNN's cpu_convolution_list.cpp is the model): AUTO runs the first entry that can run the shape and
 * whose rule takes it; the last entry, oneDNN, runs everything. Winograd entries are skipped where Winograd
 * is not allowed. Adding an algorithm is one {@link ConvImplementation} plus its line here.
 */
final class ConvImplementationList {
    /** Whether AUTO takes an implementation for a shape it can run. */
    interface AutoRule {
        boolean takes(ConvDirection direction, Conv2dSpec spec);
    }

    record Entry(ConvImplementation implementation, AutoRule rule) {
    }

    private final Map<ConvAlgorithm, ConvImplementation> byAlgorithm = new EnumMap<>(ConvAlgorithm.class);
    private final Map<ConvDirection, List<Entry>> autoLists = new EnumMap<>(ConvDirection.class);

    ConvImplementationList() {
        ConvImplementation winograd2 = new WinogradConvolution(ConvAlgorithm.WINOGRAD_2X2_3X3);
        ConvImplementation winograd4 = new WinogradConvolution(ConvAlgorithm.WINOGRAD_4X4_3X3);
        ConvImplementation winograd1d4 = new WinogradConvolution(ConvAlgorithm.WINOGRAD_1D_F4_3);
        ConvImplementation winograd1d6 = new WinogradConvolution(ConvAlgorithm.WINOGRAD_1D_F6_3);
        ConvImplementation onednn = new OnednnConvolution();
        for (ConvImplementation i : List.of(new ReferenceBackendConvolution(), new Im2colGemmConvolution(), onednn,
                winograd2, winograd4, winograd1d4, winograd1d6)) {
            byAlgorithm.put(i.algorithm(), i);
        }
        AutoRule f4x4 = (d, s) -> WinogradAutoRule.pays(d, s) && !WinogradAutoRule.prefersSmallTiles(d, s);
        AutoRule always = (d, s) -> true;
        for (ConvDirection d : ConvDirection.values()) {
            autoLists.put(d, List.of(new Entry(winograd1d6, Winograd1dAutoRule::takesF6), new Entry(winograd1d4, Winograd1dAutoRule::takesF4),
                    new Entry(winograd4, f4x4), new Entry(winograd2, WinogradAutoRule::pays), new Entry(onednn, always)));
        }
    }

    /** The implementation of a concrete algorithm (not AUTO or AUTOTUNE, which choose one). */
    ConvImplementation of(ConvAlgorithm algorithm) {
        ConvImplementation i = byAlgorithm.get(algorithm);
        if (i == null) {
            throw new IllegalArgumentException("conv2d: " + algorithm + " chooses an implementation, it is not one");
        }
        return i;
    }

    /** AUTO's choice: the first entry of the direction's list that can run {@code spec} and whose rule takes it. */
    ConvImplementation automatic(ConvDirection direction, Conv2dSpec spec, boolean winogradAllowed) {
        for (Entry e : autoLists.get(direction)) {
            ConvImplementation i = e.implementation();
            if ((winogradAllowed || !i.algorithm().isWinograd()) && i.whyNot(direction, spec) == null && e.rule().takes(direction, spec)) {
                return i;
            }
        }
        throw new IllegalStateException("conv2d " + direction.key() + ": no implementation in AUTO's list runs " + spec);
    }

    /** What AUTOTUNE times: every native implementation that can run {@code spec} (Winograd only if allowed), in algorithm order. */
    List<ConvImplementation> autotuneCandidates(ConvDirection direction, Conv2dSpec spec, boolean winogradAllowed) {
        return byAlgorithm.values().stream()
                .filter(i -> i.algorithm() != ConvAlgorithm.REFERENCE)
                .filter(i -> winogradAllowed || !i.algorithm().isWinograd())
                .filter(i -> i.whyNot(direction, spec) == null)
                .toList();
    }
}
