package io.sparklm.rlhf;

import io.sparklm.data.corpus.WordNetLexicon;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;

/**
 * The programmatic preference the RLHF demo measures its gain by, which no model sees: a
 * response's score is
 * <pre>
 *   s(y) = (real words of y / words of y) · distinct-1(words of y)
 * </pre>
 * where words are the runs of letters, real ones are those of {@link WordNetLexicon}, and
 * distinct-1 (seeds-digest §15) is distinct words over words, so that repeating one real word
 * ("the the the", "dog dog dog") does not win. A response without a word scores 0. Of two
 * responses the one whose score is higher by at least {@link #TIE} is preferred; closer scores
 * are a tie. The band keeps pairs less than half a word in ten apart out of the preference: a
 * pair that close is labelled by the rule's rounding more than by what it measures, and judging
 * counts it half either way.
 */
public final class TruePreference implements Serializable {
    /** Scores closer than this tie. */
    public static final double TIE = 0.05;
    private final WordNetLexicon lexicon;

    public TruePreference(WordNetLexicon lexicon) {
        this.lexicon = lexicon;
    }

    /** s(y) in [0, 1]. */
    public double score(String response) {
        List<String> words = words(response);
        if (words.isEmpty()) {
            return 0;
        }
        long real = words.stream().filter(lexicon::contains).count();
        return (double) real / words.size() * new HashSet<>(words).size() / words.size();
    }

    /** 1 when {@code a} is preferred to {@code b}, 0 when {@code b} is, ½ for a tie (scores closer than {@link #TIE}). */
    public double wins(String a, String b) {
        double d = score(a) - score(b);
        return d >= TIE ? 1 : d <= -TIE ? 0 : 0.5;
    }

    /** The runs of letters of {@code text}, lower-cased. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        text.codePoints().forEach(cp -> {
            if (Character.isLetter(cp)) {
                w.appendCodePoint(cp);
            } else if (w.length() > 0) {
                words.add(w.toString().toLowerCase(Locale.ROOT));
                w.setLength(0);
            }
        });
        if (w.length() > 0) {
            words.add(w.toString().toLowerCase(Locale.ROOT));
        }
        return words;
    }
}
