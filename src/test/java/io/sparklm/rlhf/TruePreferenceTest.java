package io.sparklm.rlhf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklm.data.corpus.WordNetLexicon;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TruePreferenceTest {
    private static WordNetLexicon lexicon;
    private static TruePreference rule;

    @BeforeAll
    static void load() {
        lexicon = WordNetLexicon.load();
        rule = new TruePreference(lexicon);
    }

    @Test
    void lemmasExceptionFormsAndRegularInflectionsAreWordsAndNonsenseIsNot() {
        for (String word : new String[] {"dog", "Parliament", "geese", "went", "cats", "churches", "flies", "walked", "making", "faster"}) {
            assertTrue(lexicon.contains(word), word);
        }
        for (String word : new String[] {"xqzt", "dogz", "", "the", "of"}) {
            assertFalse(lexicon.contains(word), word + " (WordNet holds content words only)");
        }
    }

    @Test
    void theScoreIsTheRealWordShareTimesDistinctOne() {
        assertEquals(1.0, rule.score("dogs bark loudly"), 1e-12);
        assertEquals(2.0 / 3, rule.score("dogs bark xqzt"), 1e-12);
        assertEquals(1.0 / 3, rule.score("dog dog dog"), 1e-12, "repetition does not win: distinct-1 is 1/3");
        assertEquals(0.0, rule.score("... 42 !"), 1e-12);
        assertEquals(0.5, rule.score("the council"), 1e-12, "'the' is not a WordNet word");
    }

    @Test
    void preferenceComparesScoresAndTiesCountHalf() {
        assertEquals(1.0, rule.wins("dogs bark", "dogz barq"));
        assertEquals(0.0, rule.wins("dog dog dog", "dogs bark"));
        assertEquals(0.5, rule.wins("cats sleep", "dogs bark"));
        assertEquals(5.0 / 7 - 2.0 / 3, rule.score("dogs bark loudly often river xqzt plimk") - rule.score("dogs bark xqzt"), 1e-12);
        assertEquals(0.5, rule.wins("dogs bark loudly often river xqzt plimk", "dogs bark xqzt"), "5/7 against 2/3: closer than TIE");
        assertEquals(1.0, rule.wins("dogs bark loudly xqzt", "dogs bark xqzt"), "3/4 against 2/3: more than TIE apart");
    }
}
