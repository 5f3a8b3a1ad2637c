package io.sparklm.metrics;

import org.junit.jupiter.api.Test;

import static io.sparklm.metrics.Words.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;

class RougeTest {
    private static final int[] CANDIDATE = ids("the cat sat on the mat");
    private static final int[] REFERENCE = ids("the cat is on the mat");

    @Test
    void unigramBigramAndLongestCommonSubsequenceFMeasures() {
        Rouge rouge = new Rouge().add(CANDIDATE, REFERENCE);

        assertEquals(5.0 / 6, rouge.rouge1(), 1e-12);   // 5 shared unigrams of 6 on each side
        assertEquals(0.6, rouge.rouge2(), 1e-12);       // "the cat", "on the", "the mat" of 5
        assertEquals(5.0 / 6, rouge.rougeL(), 1e-12);   // LCS "the cat on the mat"
        assertEquals(0.8333, rouge.rouge1(), 1e-4);
        assertEquals(1, rouge.count());
    }

    @Test
    void fIsTheHarmonicMeanOfPrecisionAndRecall() {
        Rouge rouge = new Rouge().add(ids("the cat"), ids("the cat sat on the mat"));

        assertEquals(2 * 1.0 * (2.0 / 6) / (1.0 + 2.0 / 6), rouge.rouge1(), 1e-12);   // P 2/2, R 2/6
        assertEquals(2 * 1.0 * (1.0 / 5) / (1.0 + 1.0 / 5), rouge.rouge2(), 1e-12);   // P 1/1, R 1/5
        assertEquals(rouge.rouge1(), rouge.rougeL(), 1e-12);
    }

    @Test
    void longestCommonSubsequenceNeedNotBeContiguous() {
        assertEquals(4, Rouge.longestCommonSubsequence(ids("a b c d e f"), ids("a x c y e f")));
        assertEquals(0, Rouge.longestCommonSubsequence(ids("a b"), new int[0]));
    }

    @Test
    void corpusRougeIsTheMeanOfPerExampleFOverAllShards() {
        Rouge shard1 = new Rouge().add(CANDIDATE, REFERENCE);
        Rouge shard2 = new Rouge().add(ids("a dog barked"), ids("a dog barked")).add(ids("no overlap"), ids("at all"));

        Rouge corpus = shard1.plus(shard2);

        assertEquals(3, corpus.count());
        assertEquals((5.0 / 6 + 1 + 0) / 3, corpus.rouge1(), 1e-12);
        assertEquals((0.6 + 1 + 0) / 3, corpus.rouge2(), 1e-12);
        assertEquals((5.0 / 6 + 1 + 0) / 3, corpus.rougeL(), 1e-12);
        assertEquals(1, shard1.count());   // operands unchanged
    }

    @Test
    void emptyTextsAndAnEmptyCorpusScoreZero() {
        Rouge rouge = new Rouge().add(ids("one"), ids("one"));

        assertEquals(1.0, rouge.rouge1(), 1e-12);
        assertEquals(0.0, rouge.rouge2());   // no bigrams on either side: 0/0
        assertEquals(0.0, new Rouge().rouge1());
        assertEquals(0.0, new Rouge().add(new int[0], new int[0]).rougeL());
    }
}
