package io.sparklm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LocalSparkTest {
    @Test
    void aLocalSessionRunsAJob() {
        assertEquals(10L, LocalSpark.get().range(10).count());
    }
}
