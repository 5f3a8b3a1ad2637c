package io.sparklm.data.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * WordPiece encoding as BERT applies it (Schuster and Nakajima 2012; Devlin et al. 2019,
 * {@code tokenization.py}): greedy longest-match-first over a fixed vocabulary.
 *
 * <p>The text is first split into words: whitespace separates words, and each punctuation
 * character (ASCII symbols and Unicode category P) and each CJK ideograph is a word of its own;
 * with lower-casing on, words are lower-cased ({@link Locale#ROOT}). Nothing else is removed or
 * normalised, so Cyrillic, Persian and CJK text keeps every letter. Each word is then cut from
 * the left into the longest vocabulary entry that matches, pieces after the first carrying the
 * {@value #CONTINUATION} prefix: with vocabulary {@code {un, ##aff, ##able}}, "unaffable" is
 * {@code [un, ##aff, ##able]}. A word with a position where no entry matches, or longer than
 * {@value #MAX_WORD_CHARS} code points, is the single token {@value #UNKNOWN}.
 *
 * <p>Decoding joins pieces, continuations without a space and words with one: it gives back the
 * words, not the original spacing, case or unknown words.
 *
 * <p>The end-of-text id that separates documents is the vocabulary's {@value #SEPARATOR}, BERT's
 * separator, when it has one. No text encodes to it: {@code [} and {@code ]} are punctuation,
 * words of their own, so no word is {@code "[SEP]"}.
 *
 * <p>JSON: {@code {"type": "wordpiece", "lowercase": true, "vocab": ["[UNK]", "[SEP]", "un", "##able", ...]}},
 * the tokens in id order; the vocabulary must contain {@value #UNKNOWN}.
 */
public final class WordPiece implements Tokenizer {
    public static final String TYPE = "wordpiece";
    /** BERT's padding token. */
    public static final String PADDING = "[PAD]";
    /** The token of a word the vocabulary cannot spell. */
    public static final String UNKNOWN = "[UNK]";
    /** BERT's classification token, first in a sequence. */
    public static final String CLASSIFICATION = "[CLS]";
    /** The token that ends a document: {@link #endOfText()}. */
    public static final String SEPARATOR = "[SEP]";
    /** BERT's masked-language-model token. */
    public static final String MASK = "[MASK]";
    /** BERT's special tokens in the order its vocabulary lists them; a trained vocabulary gives them ids 0 to 4 ({@link WordPieceTrainer}). */
    public static final List<String> SPECIAL_TOKENS = List.of(PADDING, UNKNOWN, CLASSIFICATION, SEPARATOR, MASK);
    public static final String CONTINUATION = "##";
    /** Longer words are {@value #UNKNOWN}, as in BERT ({@code max_input_chars_per_word}). */
    public static final int MAX_WORD_CHARS = 100;

    private final List<String> vocab;
    private final Map<String, Integer> ids = new HashMap<>();
    private final boolean lowercase;
    private final int unknownId;

    /**
     * @param vocab the tokens in id order, including {@value #UNKNOWN}
     * @param lowercase whether to lower-case text before matching
     * @throws IllegalArgumentException for an empty or repeated token, or no {@value #UNKNOWN}
     */
    public WordPiece(List<String> vocab, boolean lowercase) {
        this.vocab = List.copyOf(vocab);
        this.lowercase = lowercase;
        for (int id = 0; id < this.vocab.size(); id++) {
            String token = this.vocab.get(id);
            if (token.isEmpty() || token.equals(CONTINUATION)) {
                throw new IllegalArgumentException("vocab entry " + id + " is \"" + token + "\", which matches no text");
            }
            Integer earlier = ids.putIfAbsent(token, id);
            if (earlier != null) {
                throw new IllegalArgumentException("vocab lists \"" + token + "\" twice (ids " + earlier + " and " + id + ")");
            }
        }
        if (!ids.containsKey(UNKNOWN)) {
            throw new IllegalArgumentException("vocab has no " + UNKNOWN + " token for words it cannot spell");
        }
        this.unknownId = ids.get(UNKNOWN);
    }

    /** Rebuilds from {@link #toJson()}; {@code source} names the JSON in errors. */
    static WordPiece fromJson(JsonNode json, String source) throws IOException {
        JsonNode list = json.get("vocab");
        JsonNode lowercase = json.get("lowercase");
        if (list == null || !list.isArray() || lowercase == null || !lowercase.isBoolean()) {
            throw new IOException(source + ": a \"wordpiece\" tokenizer needs a \"vocab\" array of strings and a \"lowercase\" boolean");
        }
        List<String> vocab = new ArrayList<>(list.size());
        for (JsonNode entry : list) {
            if (!entry.isTextual()) {
                throw new IOException(source + ": vocab entry " + vocab.size() + " is " + entry + ", not a string");
            }
            vocab.add(entry.textValue());
        }
        try {
            return new WordPiece(vocab, lowercase.booleanValue());
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public int[] encode(String text) {
        IntStream.Builder out = IntStream.builder();
        forEachWord(text, lowercase, word -> encodeWord(word, out));
        return out.build().toArray();
    }

    /**
     * Hands each word of {@code text} to {@code words}, in order, as {@link #encode} splits it:
     * lower-cased first when {@code lowercase} is set, whitespace between words, and each
     * punctuation character and CJK ideograph a word of its own. Words are never empty.
     */
    static void forEachWord(String text, boolean lowercase, Consumer<String> words) {
        String input = lowercase ? text.toLowerCase(Locale.ROOT) : text;
        int wordStart = 0;
        for (int i = 0; i < input.length(); ) {
            int codePoint = input.codePointAt(i);
            int next = i + Character.charCount(codePoint);
            if (Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint)) {
                acceptWord(input, wordStart, i, words);
                wordStart = next;
            } else if (isPunctuation(codePoint) || Character.isIdeographic(codePoint)) {
                acceptWord(input, wordStart, i, words);
                acceptWord(input, i, next, words);
                wordStart = next;
            }
            i = next;
        }
        acceptWord(input, wordStart, input.length(), words);
    }

    private static void acceptWord(String input, int start, int end, Consumer<String> words) {
        if (start < end) {
            words.accept(input.substring(start, end));
        }
    }

    /** BERT's {@code _is_punctuation}: ASCII non-alphanumeric symbols, or Unicode category P. */
    private static boolean isPunctuation(int codePoint) {
        if ((codePoint >= 33 && codePoint <= 47) || (codePoint >= 58 && codePoint <= 64)
                || (codePoint >= 91 && codePoint <= 96) || (codePoint >= 123 && codePoint <= 126)) {
            return true;
        }
        return switch (Character.getType(codePoint)) {
            case Character.CONNECTOR_PUNCTUATION, Character.DASH_PUNCTUATION, Character.START_PUNCTUATION,
                    Character.END_PUNCTUATION, Character.INITIAL_QUOTE_PUNCTUATION, Character.FINAL_QUOTE_PUNCTUATION,
                    Character.OTHER_PUNCTUATION -> true;
            default -> false;
        };
    }

    /** Greedy longest-match-first pieces of one word, or {@value #UNKNOWN}. */
    private void encodeWord(String word, IntStream.Builder out) {
        if (word.codePointCount(0, word.length()) > MAX_WORD_CHARS) {
            out.add(unknownId);
            return;
        }
        List<Integer> pieces = new ArrayList<>();
        for (int start = 0; start < word.length(); ) {
            Integer id = null;
            int end = word.length();
            for (; end > start; end = word.offsetByCodePoints(end, -1)) {
                String piece = word.substring(start, end);
                id = ids.get(start == 0 ? piece : CONTINUATION + piece);
                if (id != null) {
                    break;
                }
            }
            if (id == null) {
                out.add(unknownId);
                return;
            }
            pieces.add(id);
            start = end;
        }
        pieces.forEach(out::add);
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocab.size()) {
                throw new IllegalArgumentException("token id " + ids[i] + " at position " + i
                        + " is outside the vocabulary [0, " + vocab.size() + ")");
            }
            String token = vocab.get(ids[i]);
            if (token.startsWith(CONTINUATION)) {
                text.append(token, CONTINUATION.length(), token.length());
            } else {
                text.append(text.length() == 0 ? "" : " ").append(token);
            }
        }
        return text.toString();
    }

    /** The id of {@code token}, if the vocabulary holds it. */
    public OptionalInt id(String token) {
        Integer id = ids.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    @Override
    public int vocabSize() {
        return vocab.size();
    }

    /** The id of {@value #SEPARATOR}, if the vocabulary has it. */
    @Override
    public OptionalInt endOfText() {
        Integer id = ids.get(SEPARATOR);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("type", TYPE);
        json.put("lowercase", lowercase);
        ArrayNode list = json.putArray("vocab");
        vocab.forEach(list::add);
        return json;
    }
}
