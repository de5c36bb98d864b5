package org.cnn4j.spark;

import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The columns {@link SparkPredictor} appends, in this order: {@code prediction} (int, the most probable
 * class's index), {@code predicted_class} (string, its name), {@code probability} (float, its softmax
 * probability), {@code top_k} (array of structs {index, class, probability}, most probable first) and,
 * when an embedding layer is chosen, {@code embedding} (array of float: that layer's output, flattened).
 */
final class PredictionColumns {
    static final String PREDICTION = "prediction", CLASS = "predicted_class", PROBABILITY = "probability", TOP_K = "top_k",
            EMBEDDING = "embedding";

    private PredictionColumns() {
    }

    /** {@code input} with the prediction columns after its own; fails naming a column the input already has. */
    static StructType appendedTo(StructType input, boolean embedding) {
        List<String> names = embedding ? List.of(PREDICTION, CLASS, PROBABILITY, TOP_K, EMBEDDING) : List.of(PREDICTION, CLASS, PROBABILITY, TOP_K);
        for (String name : names) {
            if (List.of(input.fieldNames()).contains(name)) {
                throw new IllegalArgumentException("SparkPredictor: the input already has a column '" + name
                        + "', which the predictions would overwrite; drop or rename it first");
            }
        }
        StructType topEntry = new StructType()
                .add("index", DataTypes.IntegerType, false)
                .add("class", DataTypes.StringType, false)
                .add("probability", DataTypes.FloatType, false);
        StructType out = input
                .add(PREDICTION, DataTypes.IntegerType, false)
                .add(CLASS, DataTypes.StringType, false)
                .add(PROBABILITY, DataTypes.FloatType, false)
                .add(TOP_K, DataTypes.createArrayType(topEntry, false), false);
        return embedding ? out.add(EMBEDDING, DataTypes.createArrayType(DataTypes.FloatType, false), false) : out;
    }
}
