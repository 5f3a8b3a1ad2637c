package io.sparklm.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparklm.tensor.Parallel;
import org.junit.jupiter.api.Test;

class ParametersRangeTest {
    /** Tensors of 1, 0-free odd sizes and one large enough to be cut between threads. */
    private static Parameters parameters() {
        Parameters p = new Parameters();
        p.add("a", true, 3);
        p.add("b", false, 5, 7);
        p.add("c", true, 1);
        p.add("d", true, 300, 200);
        p.add("e", false, 11);
        return p;
    }

    @Test
    void everyElementIsVisitedOnceWithItsParametersIndexOnAnyThreadCount() {
        int threads = Parallel.threads();
        try {
            for (int t : new int[] {1, 2}) {
                Parallel.setThreads(t);
                Parameters p = parameters();
                int n = (int) p.count();
                int[] visits = new int[n];
                long[] starts = new long[p.all().size()];
                for (int i = 1; i < starts.length; i++) {
                    starts[i] = starts[i - 1] + p.all().get(i - 1).size();
                }
                p.forEachRange((param, from, to, index) -> {
                    assertEquals(p.all().get(index), param, "the piece's parameter is the index-th registered");
                    for (int i = from; i < to; i++) {
                        param.value().data[i] = starts[index] + i;
                        synchronized (visits) {
                            visits[(int) starts[index] + i]++;
                        }
                    }
                });
                long at = 0;
                for (Parameter param : p.all()) {
                    for (int i = 0; i < param.size(); i++, at++) {
                        assertEquals(at, param.value().data[i], param.name() + "[" + i + "] on " + t + " threads");
                    }
                }
                for (int i = 0; i < n; i++) {
                    assertEquals(1, visits[i], "element " + i);
                }
                double sum = p.sumOverRanges((param, from, to, index) -> {
                    double s = 0;
                    for (int i = from; i < to; i++) {
                        s += param.value().data[i];
                    }
                    return s;
                });
                assertEquals((double) n * (n - 1) / 2, sum, 0, "Σ of 0 … n−1");
            }
        } finally {
            Parallel.setThreads(threads);
        }
    }
}
