package io.sparklm.metrics;

import org.junit.jupiter.api.Test;

import static io.sparklm.metrics.Words.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BleuTest {
    private static final int[] CANDIDATE = ids("the cat sat on the mat");
    private static final int[] REFERENCE = ids("the cat is on the mat");

    @Test
    void clippedPrecisionsOfOneSentencePair() {
        Bleu bleu = new Bleu().add(CANDIDATE, REFERENCE);

        assertEquals(5, bleu.matches(1));   // the ×2, cat, on, mat; "sat" unmatched
        assertEquals(6, bleu.total(1));
        assertEquals(3, bleu.matches(2));   // "the cat", "on the", "the mat" of 5
        assertEquals(5, bleu.total(2));
        assertEquals(1, bleu.matches(3));   // "on the mat" of 4
        assertEquals(4, bleu.total(3));
        assertEquals(0, bleu.matches(4));
        assertEquals(3, bleu.total(4));
        assertEquals(5.0 / 6, bleu.precision(1), 1e-12);
        assertEquals(0.0, bleu.precision(4));
    }

    @Test
    void bleu4IsZeroUnsmoothedAndBleu2IsTheGeometricMeanOfTwoPrecisions() {
        Bleu bleu = new Bleu().add(CANDIDATE, REFERENCE);

        assertEquals(1.0, bleu.brevityPenalty());   // c = r = 6
        assertEquals(0.0, bleu.score());            // p4 = 0/3
        assertEquals(0.7071067812, bleu.score(2), 1e-10);   // sqrt(5/6 · 3/5)
        assertEquals(5.0 / 6, bleu.score(1), 1e-12);
    }

    @Test
    void shortCandidatesArePenalisedByBrevity() {
        Bleu bleu = new Bleu().add(ids("the cat sat on"), ids("the cat sat on the mat"));

        assertEquals(4, bleu.candidateLength());
        assertEquals(6, bleu.referenceLength());
        assertEquals(0.6065306597, bleu.brevityPenalty(), 1e-10);   // e^(1 − 6/4)
        assertEquals(0.6065306597, bleu.score(), 1e-10);            // every precision is 1
        assertEquals(0.0, new Bleu().add(new int[0], REFERENCE).brevityPenalty());
    }

    @Test
    void countsAreClippedByTheMostOccurrencesInAnyOneReferenceAndRIsTheClosestReferenceLength() {
        Bleu bleu = new Bleu(1).add(ids("the the the the"), ids("the cat is here"), ids("the the cat"));

        assertEquals(2, bleu.matches(1));            // "the" occurs at most twice in one reference
        assertEquals(4, bleu.total(1));
        assertEquals(4, bleu.referenceLength());     // |4 − 4| beats |3 − 4|
        assertEquals(3, new Bleu(1).add(ids("a b c d"), ids("a b c d e"), ids("a b c")).referenceLength());   // a tie goes to the shorter
    }

    @Test
    void corpusBleuSumsCountsOverSentencesRatherThanAveragingSentenceScores() {
        Bleu first = new Bleu(2).add(CANDIDATE, REFERENCE);
        Bleu second = new Bleu(2).add(ids("a dog barked"), ids("a dog barked"));

        Bleu corpus = first.plus(second);

        assertEquals(8, corpus.matches(1));
        assertEquals(9, corpus.total(1));
        assertEquals(5, corpus.matches(2));
        assertEquals(7, corpus.total(2));
        assertEquals(Math.sqrt(8.0 / 9 * 5.0 / 7), corpus.score(), 1e-12);
        assertEquals(0.7071067812, first.score(), 1e-10);   // operands unchanged
        assertEquals(corpus.score(), new Bleu(2).add(CANDIDATE, REFERENCE).add(ids("a dog barked"), ids("a dog barked")).score());
    }

    @Test
    void ordersOutsideTheCountedRangeAndMissingReferencesAreRejected() {
        Bleu bleu = new Bleu(2);

        assertThrows(IllegalArgumentException.class, () -> bleu.score(3));
        assertThrows(IllegalArgumentException.class, () -> bleu.precision(0));
        assertThrows(IllegalArgumentException.class, () -> bleu.add(CANDIDATE));
        assertThrows(IllegalArgumentException.class, () -> bleu.plus(new Bleu(4)));
    }
}
