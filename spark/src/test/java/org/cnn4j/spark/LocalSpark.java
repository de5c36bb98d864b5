package org.cnn4j.spark;

import org.apache.spark.sql.SparkSession;

/** A small local Spark for tests: no UI, two shuffle partitions, quiet logs (src/test/resources/log4j2.properties). */
final class LocalSpark {
    private LocalSpark() {
    }

    /** {@code master} such as "local[2]", or "local[2,3]" for up to three attempts of a task. */
    static SparkSession start(String master) {
        return SparkSession.builder()
                .master(master)
                .appName("cnn4j-spark-test")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "2")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.adaptive.enabled", "false")
                .getOrCreate();
    }
}
