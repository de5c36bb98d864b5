package org.cnn4j.explain;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import org.cnn4j.data.DataLoader;
import org.cnn4j.data.ImageDataset;
import org.cnn4j.nn.Module;
import org.cnn4j.tensor.Tensor;

/**
 * What a filter looks for, shown by example: for each chosen filter of a layer, the {@code k} dataset
 * patches that excite it most (Zeiler and Fergus). Each image contributes at most one patch per filter,
 * at the position of its strongest response, cut out as that position's {@link ReceptiveField}. Early
 * layers see a few pixels and respond to edges and blobs found everywhere; deeper layers see more of
 * the image and their top patches share larger, class-like parts.
 */
public final class TopPatches {
    /** One patch: which image, where the filter responded (feature-map coordinates) and how strongly. */
    public record Patch(int image, int y, int x, float activation) {
    }

    private final String layer;
    private final ReceptiveField field;
    private final int[] filters;
    private final List<List<Patch>> best;

    private TopPatches(String layer, ReceptiveField field, int[] filters, List<List<Patch>> best) {
        this.layer = layer;
        this.field = field;
        this.filters = filters;
        this.best = best;
    }

    /**
     * Runs the dataset (normalised with {@code mean} and {@code std}, as the model was trained) through
     * the model up to {@code layer} and keeps, for each filter index in {@code filters}, the top {@code k}.
     */
    public static TopPatches find(Module model, String layer, ImageDataset data, float mean, float std, int[] filters, int k) {
        if (k <= 0 || filters.length == 0) {
            throw new IllegalArgumentException("top patches: need k > 0 and at least one filter, got k=" + k + " and "
                    + filters.length + " filters");
        }
        ReceptiveField field = ReceptiveField.measure(model, layer, data.channels(), data.height(), data.width());
        List<PriorityQueue<Patch>> heaps = new ArrayList<>();
        for (int f = 0; f < filters.length; f++) {
            heaps.add(new PriorityQueue<>((a, b) -> Float.compare(a.activation(), b.activation())));
        }
        try (DataLoader loader = new DataLoader(data, 100, false, 0, mean, std)) {
            loader.startEpoch(0);
            for (int b = 0; b < loader.numBatches(); b++) {
                Tensor[] xy = loader.batch(b);
                Tensor maps = LayerOutput.featureMaps(model, layer, xy[0]);
                int n = maps.dim(0), channels = maps.dim(1), h = maps.dim(2), w = maps.dim(3);
                for (int f : filters) {
                    if (f < 0 || f >= channels) {
                        throw new IllegalArgumentException("top patches: filter " + f + " is not in 0.." + (channels - 1)
                                + " of layer '" + layer + "'");
                    }
                }
                float[] a = maps.toArray();
                for (int i = 0; i < n; i++) {
                    for (int f = 0; f < filters.length; f++) {
                        int base = (i * channels + filters[f]) * h * w, arg = 0;
                        for (int p = 1; p < h * w; p++) {
                            if (a[base + p] > a[base + arg]) {
                                arg = p;
                            }
                        }
                        PriorityQueue<Patch> heap = heaps.get(f);
                        heap.add(new Patch(loader.indexOf(b, i), arg / w, arg % w, a[base + arg]));
                        if (heap.size() > k) {
                            heap.poll();
                        }
                    }
                }
            }
        }
        List<List<Patch>> best = new ArrayList<>();
        for (PriorityQueue<Patch> heap : heaps) {
            List<Patch> list = new ArrayList<>(heap);
            list.sort((a, b) -> Float.compare(b.activation(), a.activation()));
            best.add(List.copyOf(list));
        }
        return new TopPatches(layer, field, filters.clone(), best);
    }

    public String layer() {
        return layer;
    }

    public ReceptiveField receptiveField() {
        return field;
    }

    /** The best patches of the {@code i}-th chosen filter, strongest first. */
    public List<Patch> of(int i) {
        return best.get(i);
    }

    /**
     * The pixels of a patch's receptive field as a [height, width] array of the field's full size; where
     * the field is clipped by the image border the missing part is filled with {@code background}.
     */
    public float[] pixels(Patch p, ImageDataset data, float background) {
        int fh = field.height(), fw = field.width(), h = data.height(), w = data.width();
        int y0 = field.rowStart()[p.y()], y1 = field.rowEnd()[p.y()], x0 = field.colStart()[p.x()], x1 = field.colEnd()[p.x()];
        // a field cut by the top (left) border lines up with the bottom (right) of the tile
        int dy = y0 == 0 ? fh - (y1 - y0 + 1) : 0, dx = x0 == 0 ? fw - (x1 - x0 + 1) : 0;
        float[] out = new float[fh * fw];
        Arrays.fill(out, background);
        for (int y = y0; y <= y1; y++) {
            for (int x = x0; x <= x1; x++) {
                out[(y - y0 + dy) * fw + x - x0 + dx] = data.pixels()[p.image() * data.imageSize() + y * w + x];
            }
        }
        return out;
    }

    /**
     * One row per chosen filter with its patches, strongest left, each drawn on the dataset's [0, 1] gray
     * scale (so contrast compares across patches) and captioned with the filter and its response.
     */
    public BufferedImage picture(ImageDataset data, int scale) {
        List<BufferedImage> tiles = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        int columns = 0;
        for (int f = 0; f < filters.length; f++) {
            columns = Math.max(columns, best.get(f).size());
        }
        for (int f = 0; f < filters.length; f++) {
            List<Patch> row = best.get(f);
            for (int j = 0; j < columns; j++) {
                float[] px = j < row.size() ? pixels(row.get(j), data, 0f) : new float[field.height() * field.width()];
                tiles.add(Pictures.gray(px, field.height(), field.width(), scale, 0f, 1f));
                captions.add(j < row.size() ? String.format(Locale.ROOT, "f%d %.3g", filters[f], row.get(j).activation()) : "");
            }
        }
        return Pictures.grid(tiles, captions, columns);
    }
}
