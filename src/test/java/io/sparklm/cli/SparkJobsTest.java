package io.sparklm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;

class SparkJobsTest {
    @Test
    void executorsGetOpenBlasShortSpinUnlessTheSubmittedConfigurationSetsIt() {
        assertEquals(Map.of("spark.executorEnv.OPENBLAS_THREAD_TIMEOUT", "14"), SparkJobs.executorDefaults(new SparkConf(false)));
        SparkConf submitted = new SparkConf(false).set("spark.executorEnv.OPENBLAS_THREAD_TIMEOUT", "20");
        assertEquals(Map.of(), SparkJobs.executorDefaults(submitted));
    }
}
