package io.sparklm.cli;

import org.apache.spark.sql.SparkSession;

/**
 * The Spark session of a command. Under {@code spark-submit} the master and resources come from
 * it; run directly (quickstart, tests) the {@code spark.master} setting picks one, local by default.
 */
final class SparkJobs {
    private SparkJobs() {
    }

    static SparkSession session(String command, Options o) {
        SparkSession.Builder builder = SparkSession.builder().appName("sparklm " + command);
        if (System.getProperty("spark.master") == null) {
            builder.master(o.string("spark.master"));
        }
        SparkSession spark = builder.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }
}
