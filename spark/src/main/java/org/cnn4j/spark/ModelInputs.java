package org.cnn4j.spark;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * Turns the input column of rows into a model's normalised input, (pixel - mean) / std as in training,
 * one image after another in [channels, height, width] order.
 */
final class ModelInputs implements Serializable {
    private final InputKind kind;
    private final int column, pathColumn;
    private final String columnName;
    private final int channels, height, width;
    private final float mean, std;

    /** {@code pathColumn}: a string column naming each row's file for messages, or -1. */
    ModelInputs(InputKind kind, int column, String columnName, int pathColumn, int channels, int height, int width, float mean, float std) {
        this.kind = kind;
        this.column = column;
        this.columnName = columnName;
        this.pathColumn = pathColumn;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.mean = mean;
        this.std = std;
    }

    int imageSize() {
        return channels * height * width;
    }

    /** Writes {@code row}'s image into {@code out} at {@code offset}; {@code where} names the row when it has no path. */
    void write(Row row, String where, float[] out, int offset) {
        String what = describe(row, where);
        if (row.isNullAt(column)) {
            throw new IllegalArgumentException(what + ": input column '" + columnName + "' is null");
        }
        if (kind == InputKind.ENCODED_IMAGE) {
            EncodedImages.decodeInto(row.getAs(column), what, channels, height, width, out, offset);
        } else {
            List<Object> pixels = row.getList(column);
            if (pixels.size() != imageSize()) {
                throw new IllegalArgumentException(what + ": input column '" + columnName + "' holds " + pixels.size()
                        + " values; the model takes " + channels + "x" + height + "x" + width + " = " + imageSize());
            }
            for (int i = 0; i < pixels.size(); i++) {
                Object v = pixels.get(i);
                if (v == null) {
                    throw new IllegalArgumentException(what + ": input column '" + columnName + "' has a null at element " + i);
                }
                out[offset + i] = ((Number) v).floatValue();
            }
        }
        for (int i = offset; i < offset + imageSize(); i++) {
            float v = (out[i] - mean) / std; // a division, as the core's DataLoader: the same bits
            if (!Float.isFinite(v)) { // a NaN would spread through every output of the batch
                throw new IllegalArgumentException(what + ": input column '" + columnName + "' holds " + out[i] + " at element " + (i - offset));
            }
            out[i] = v;
        }
    }

    private String describe(Row row, String where) {
        return pathColumn >= 0 && !row.isNullAt(pathColumn) ? "image " + row.getString(pathColumn) : where;
    }
}
