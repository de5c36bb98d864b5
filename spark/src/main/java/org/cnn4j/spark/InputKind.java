package org.cnn4j.spark;

import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/** What a DataFrame's input column holds, from its Spark type. */
enum InputKind {
    /** binary: the bytes of a PNG/JPEG/BMP/GIF file, as Spark's {@code binaryFile} source gives them in {@code content} */
    ENCODED_IMAGE,
    /** array of float or double: the image's pixels in [0, 1], channels x height x width in that (NCHW) order */
    PIXELS;

    /** The kind of a column of type {@code type}, or an exception naming the column, its type and the accepted ones. */
    static InputKind of(String column, DataType type) {
        if (type.equals(DataTypes.BinaryType)) {
            return ENCODED_IMAGE;
        }
        if (type instanceof ArrayType a && (a.elementType().equals(DataTypes.FloatType) || a.elementType().equals(DataTypes.DoubleType))) {
            return PIXELS;
        }
        throw new IllegalArgumentException("input column '" + column + "' is of type " + type.simpleString()
                + "; cnn4j reads binary (image file bytes, e.g. from the binaryFile source) or array<float> / array<double> "
                + "(pixels in [0, 1], channels x height x width)");
    }
}
