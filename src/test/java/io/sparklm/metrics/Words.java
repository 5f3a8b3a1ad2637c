package io.sparklm.metrics;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/** Test texts as token ids: each distinct word gets the next id, the same word always the same id. */
final class Words {
    private static final Map<String, Integer> IDS = new HashMap<>();

    private Words() {
    }

    static synchronized int[] ids(String text) {
        return Arrays.stream(text.split(" ")).mapToInt(word -> IDS.computeIfAbsent(word, w -> IDS.size())).toArray();
    }
}
