package io.sparklm.cli;

import io.sparklm.tensor.Blas;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark session of a command. Under {@code spark-submit} the master and resources come from
 * it; run directly (quickstart, tests) the {@code spark.master} setting picks one, local by default.
 * Executors get OpenBLAS's short spin time ({@link Blas#THREAD_TIMEOUT}) in their environment
 * unless {@code spark.executorEnv.OPENBLAS_THREAD_TIMEOUT} is set already.
 */
final class SparkJobs {
    private SparkJobs() {
    }

    static SparkSession session(String command, Options o) {
        SparkSession.Builder builder = SparkSession.builder().appName("sparklm " + command);
        executorDefaults(new SparkConf()).forEach(builder::config);
        if (System.getProperty("spark.master") == null) {
            builder.master(o.string("spark.master"));
        }
        SparkSession spark = builder.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }

    /**
     * What the session adds to the submitted settings ({@code conf}, as spark-submit passes them):
     * OpenBLAS's spin time for the executors' environment, when they do not set it.
     */
    static Map<String, String> executorDefaults(SparkConf conf) {
        String key = "spark.executorEnv." + Blas.THREAD_TIMEOUT_ENV;
        return conf.contains(key) ? Map.of() : Map.of(key, Blas.THREAD_TIMEOUT);
    }
}
