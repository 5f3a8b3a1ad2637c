package io.sparklm.rlhf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sparklm.LocalSpark;
import io.sparklm.data.corpus.WordNetLexicon;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

class PreferencePairsTest {
    @Test
    void responsesArePairedInOrderAndTiesAndEmptyResponsesAreLeftOut() {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(LocalSpark.get().sparkContext());
        List<PolicySamples.Sampled> sampled = List.of(
                // (1, 2): 1.0 against 0 → chosen first; (3, 4): a tie at 0, left out
                new PolicySamples.Sampled("p", List.of("dog house", "xqzt vlorp", "qwxv", "plimk")),
                // (1, 2): the second wins (½·1 < 1); (3, 4): an empty response, left out
                new PolicySamples.Sampled("q", List.of("dog dog", "cat tree", "", "river")),
                // two responses: one pair, as before the setting existed
                new PolicySamples.Sampled("r", List.of("xqzt", "window")));
        List<PreferencePairs.Pair> pairs = PreferencePairs.label(sc.parallelize(sampled, 2),
                new TruePreference(WordNetLexicon.load())).collect();
        assertEquals(List.of(new PreferencePairs.Pair("p", "dog house", "xqzt vlorp"), new PreferencePairs.Pair("q", "cat tree", "dog dog"),
                new PreferencePairs.Pair("r", "window", "xqzt")), pairs);
    }
}
