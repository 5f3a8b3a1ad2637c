package io.sparklm.metrics;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import org.junit.jupiter.api.Test;

import static io.sparklm.metrics.Words.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DistinctNTest {
    @Test
    void distinctUnigramsAndBigramsOverTotal() {
        int[] text = ids("the cat the cat sat");

        DistinctN unigrams = new DistinctN(1).add(text);
        DistinctN bigrams = new DistinctN(2).add(text);

        assertEquals(3, unigrams.distinct());   // the, cat, sat
        assertEquals(5, unigrams.total());
        assertEquals(0.6, unigrams.score(), 1e-12);
        assertEquals(3, bigrams.distinct());    // "the cat" twice, "cat the", "cat sat"
        assertEquals(4, bigrams.total());
        assertEquals(0.75, bigrams.score(), 1e-12);
    }

    @Test
    void shardsCountAnNGramSeenInBothOnceAndNoNGramSpansTwoTexts() {
        DistinctN shard1 = new DistinctN(2).add(ids("the cat"));
        DistinctN shard2 = new DistinctN(2).add(ids("the cat")).add(ids("sat"));

        DistinctN corpus = shard1.plus(shard2);

        assertEquals(1, corpus.distinct());
        assertEquals(2, corpus.total());   // "sat" has no bigram, nor does "cat" + "sat"
        assertEquals(0.5, corpus.score(), 1e-12);
        assertEquals(1.0, shard1.score());   // operands unchanged
    }

    @Test
    void anEmptyCorpusScoresZeroAndOrdersMustMatch() {
        assertEquals(0.0, new DistinctN(3).add(ids("too short")).score());
        assertThrows(IllegalArgumentException.class, () -> new DistinctN(0));
        assertThrows(IllegalArgumentException.class, () -> new DistinctN(1).plus(new DistinctN(2)));
    }

    @Test
    void countsSurviveJavaSerialisationAsSparkShipsThem() throws IOException, ClassNotFoundException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new DistinctN(2).add(ids("the cat sat")));
        }
        DistinctN copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (DistinctN) in.readObject();
        }

        assertEquals(2, copy.distinct());
        assertEquals(2, copy.plus(new DistinctN(2).add(ids("the cat"))).distinct());
    }
}
