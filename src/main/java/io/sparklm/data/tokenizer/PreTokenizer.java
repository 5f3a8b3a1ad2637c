package io.sparklm.data.tokenizer;

import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Splits text into special tokens and GPT-2 words, the units that byte-level BPE merges within
 * but never across (Radford et al. 2019, {@code encoder.py}).
 *
 * <p>Special tokens (such as {@code <|endoftext|>}) are cut out first, the longest at the
 * leftmost position winning. The text between them is split by GPT-2's pattern
 * <pre>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</pre>
 * with Unicode classes for {@code \s} (as Python's {@code regex} module and jtokkit use): a
 * contraction, a run of letters, of digits, or of other symbols with at most one leading space,
 * and runs of whitespace, where a run followed by a word leaves its last space to that word.
 * The words cover the text exactly, so concatenating them gives it back.
 */
final class PreTokenizer {
    private static final Pattern GPT2_WORD = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+",
            Pattern.UNICODE_CHARACTER_CLASS);

    /** Matches any special token, longest first; null when there are none. */
    private final Pattern special;

    PreTokenizer(List<String> specialTokens) {
        this.special = specialTokens.isEmpty() ? null : Pattern.compile(specialTokens.stream()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .map(Pattern::quote)
                .collect(Collectors.joining("|")));
    }

    /** Hands each piece of {@code text}, in order, to {@code words} or {@code specials}. */
    void split(String text, Consumer<String> words, Consumer<String> specials) {
        if (special == null) {
            splitWords(text, 0, text.length(), words);
            return;
        }
        Matcher m = special.matcher(text);
        int start = 0;
        while (m.find()) {
            splitWords(text, start, m.start(), words);
            specials.accept(m.group());
            start = m.end();
        }
        splitWords(text, start, text.length(), words);
    }

    private static void splitWords(String text, int start, int end, Consumer<String> words) {
        if (start == end) {
            return;
        }
        Matcher m = GPT2_WORD.matcher(text).region(start, end);
        while (m.find()) {
            words.accept(m.group());
        }
    }
}
