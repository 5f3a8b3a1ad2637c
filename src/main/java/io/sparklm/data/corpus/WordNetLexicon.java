package io.sparklm.data.corpus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Whether a word is an English word by WordNet 3.1: a one-word lemma of its index files
 * ({@code index.noun}, {@code index.verb}, {@code index.adj}, {@code index.adv}), an inflected form
 * in its exception lists ({@code noun.exc}, …), or a regular inflection of a lemma by Morphy's
 * detachment rules (WordNet's {@code morphy(7WN)}: "cats" → "cat", "churches" → "church",
 * "flies" → "fly", "walked" → "walk", "making" → "make", "bigger" is an exception, "faster" → "fast").
 * Case is ignored. WordNet holds content words only: "the", "of", "and" are not in it.
 */
public final class WordNetLexicon implements Serializable {
    private static final String[][] RULES = {
            {"s", ""}, {"ses", "s"}, {"xes", "x"}, {"zes", "z"}, {"ches", "ch"}, {"shes", "sh"}, {"men", "man"}, {"ies", "y"},
            {"es", "e"}, {"es", ""}, {"ed", "e"}, {"ed", ""}, {"ing", "e"}, {"ing", ""}, {"er", ""}, {"est", ""}, {"er", "e"}, {"est", "e"}};
    private final Set<String> lemmas;
    private final Set<String> exceptions;

    private WordNetLexicon(Set<String> lemmas, Set<String> exceptions) {
        this.lemmas = lemmas;
        this.exceptions = exceptions;
    }

    /** The lexicon of the WordNet 3.1 files on the classpath ({@value WordNet#ARTIFACT}). */
    public static WordNetLexicon load() {
        Set<String> lemmas = new HashSet<>();
        Set<String> exceptions = new HashSet<>();
        for (String pos : List.of("noun", "verb", "adj", "adv")) {
            readFirstColumns("index." + pos, lemmas);
            readFirstColumns(pos + ".exc", exceptions);
        }
        return new WordNetLexicon(lemmas, exceptions);
    }

    /** Adds the first column of each line of a WordNet file that names a one-word entry (licence lines start with two spaces). */
    private static void readFirstColumns(String file, Set<String> into) {
        String resource = WordNet.RESOURCE_DIRECTORY + file;
        InputStream in = WordNetLexicon.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("classpath resource " + resource + " not found: put " + WordNet.ARTIFACT + " on the classpath");
        }
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (line.startsWith("  ") || line.isEmpty()) {
                    continue;
                }
                String word = line.substring(0, line.indexOf(' ') < 0 ? line.length() : line.indexOf(' '));
                if (!word.contains("_")) {
                    into.add(word);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
        }
    }

    /** Whether {@code word} (letters, any case) is a WordNet lemma, an exception form, or a regular inflection of a lemma. */
    public boolean contains(String word) {
        String w = word.toLowerCase(Locale.ROOT);
        if (w.isEmpty()) {
            return false;
        }
        if (lemmas.contains(w) || exceptions.contains(w)) {
            return true;
        }
        for (String[] rule : RULES) {
            if (w.endsWith(rule[0]) && w.length() > rule[0].length()) {
                String base = w.substring(0, w.length() - rule[0].length()) + rule[1];
                if (lemmas.contains(base)) {
                    return true;
                }
            }
        }
        return false;
    }
}
