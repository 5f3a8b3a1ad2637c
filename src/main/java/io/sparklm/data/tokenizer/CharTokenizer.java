package io.sparklm.data.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * One token per Unicode code point, as nanoGPT's {@code shakespeare_char}: the vocabulary is
 * {@code sorted(set(text))}, the distinct code points of the training text in code point order,
 * and id i is the i-th of them. Supplementary characters (outside the BMP, two UTF-16 chars in
 * Java) are one token each and sort by code point, as Python does. After the n characters comes
 * the {@link #END_OF_TEXT} special token, id n, that separates documents: no text encodes to it,
 * and it decodes to the text {@code "<|endoftext|>"}.
 *
 * <p>JSON: {@code {"type": "char", "vocab": ["\n", " ", "!", ...], "special": {"<|endoftext|>": n}}},
 * one string of exactly one code point per id, in id order. A {@code tokenizer.json} without
 * {@code "special"} (as written before end-of-text ids) reads as a tokenizer of the n characters
 * alone, with no {@link #endOfText()} and the hash it had.
 */
public final class CharTokenizer implements Tokenizer {
    public static final String TYPE = "char";

    /** Id to code point, for the ids below {@code vocab.length}. */
    private final int[] vocab;
    /** Whether id {@code vocab.length} is {@link #END_OF_TEXT}. */
    private final boolean hasEndOfText;
    /** The vocabulary's code points in increasing order, and the id of each, for encoding. */
    private final int[] sortedCodePoints;
    private final int[] idOfSorted;

    private CharTokenizer(int[] vocab, boolean hasEndOfText) {
        this.vocab = vocab;
        this.hasEndOfText = hasEndOfText;
        Integer[] order = new Integer[vocab.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Integer.compare(vocab[a], vocab[b]));
        this.sortedCodePoints = new int[vocab.length];
        this.idOfSorted = new int[vocab.length];
        for (int i = 0; i < order.length; i++) {
            sortedCodePoints[i] = vocab[order[i]];
            idOfSorted[i] = order[i];
        }
    }

    /** The tokenizer whose vocabulary is the distinct code points of {@code text}, sorted, then {@link #END_OF_TEXT}. */
    public static CharTokenizer fit(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("cannot build a character vocabulary from empty text");
        }
        return new CharTokenizer(text.codePoints().distinct().sorted().toArray(), true);
    }

    /** Rebuilds from {@link #toJson()}; {@code source} names the JSON in errors. */
    static CharTokenizer fromJson(JsonNode json, String source) throws IOException {
        JsonNode list = json.get("vocab");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw new IOException(source + ": a \"char\" tokenizer needs a non-empty \"vocab\" array of characters");
        }
        int[] vocab = new int[list.size()];
        for (int id = 0; id < vocab.length; id++) {
            JsonNode entry = list.get(id);
            String s = entry.isTextual() ? entry.textValue() : "";
            if (s.isEmpty() || s.codePointCount(0, s.length()) != 1) {
                throw new IOException(source + ": vocab entry " + id + " is " + entry + ", not a single character");
            }
            vocab[id] = s.codePointAt(0);
        }
        CharTokenizer tokenizer = new CharTokenizer(vocab, hasEndOfText(json.get("special"), vocab.length, source));
        for (int i = 1; i < tokenizer.sortedCodePoints.length; i++) {
            if (tokenizer.sortedCodePoints[i] == tokenizer.sortedCodePoints[i - 1]) {
                throw new IOException(source + ": vocab lists " + describe(tokenizer.sortedCodePoints[i])
                        + " twice (ids " + tokenizer.idOfSorted[i - 1] + " and " + tokenizer.idOfSorted[i] + ")");
            }
        }
        return tokenizer;
    }

    /** Whether {@code special} (absent in older files) is {@code {"<|endoftext|>": characters}}. */
    private static boolean hasEndOfText(JsonNode special, int characters, String source) throws IOException {
        if (special == null) {
            return false;
        }
        JsonNode id = special.isObject() && special.size() == 1 ? special.get(END_OF_TEXT) : null;
        if (id == null || !id.isInt() || id.intValue() != characters) {
            throw new IOException(source + ": a \"char\" tokenizer's \"special\" is " + special + ", not {\"" + END_OF_TEXT
                    + "\": " + characters + "} (the id after its " + characters + " characters); fix it, or remove it to have no end-of-text id");
        }
        return true;
    }

    @Override
    public String type() {
        return TYPE;
    }

    /**
     * One id per code point of {@code text}.
     *
     * @throws IllegalArgumentException naming the first character that is not in the vocabulary
     *     and its position (code point index)
     */
    @Override
    public int[] encode(String text) {
        int[] codePoints = text.codePoints().toArray();
        int[] ids = new int[codePoints.length];
        for (int i = 0; i < codePoints.length; i++) {
            int at = Arrays.binarySearch(sortedCodePoints, codePoints[i]);
            if (at < 0) {
                throw new IllegalArgumentException(describe(codePoints[i]) + " at position " + i
                        + " is not in the vocabulary of " + vocab.length + " characters; refit the tokenizer on text that contains it");
            }
            ids[i] = idOfSorted[at];
        }
        return ids;
    }

    @Override
    public String decode(int[] ids) {
        StringBuilder text = new StringBuilder(ids.length);
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= vocabSize()) {
                throw new IllegalArgumentException("token id " + ids[i] + " at position " + i
                        + " is outside the vocabulary [0, " + vocabSize() + ")");
            }
            if (ids[i] == vocab.length) {
                text.append(END_OF_TEXT);
            } else {
                text.appendCodePoint(vocab[ids[i]]);
            }
        }
        return text.toString();
    }

    @Override
    public int vocabSize() {
        return vocab.length + (hasEndOfText ? 1 : 0);
    }

    @Override
    public OptionalInt endOfText() {
        return hasEndOfText ? OptionalInt.of(vocab.length) : OptionalInt.empty();
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("type", TYPE);
        ArrayNode list = json.putArray("vocab");
        for (int codePoint : vocab) {
            list.add(Character.toString(codePoint));
        }
        if (hasEndOfText) {
            json.putObject("special").put(END_OF_TEXT, vocab.length);
        }
        return json;
    }

    /** {@code 'é' (U+00E9)}: the character and its code point, readable even when invisible. */
    private static String describe(int codePoint) {
        return "'" + Character.toString(codePoint) + "' (U+" + String.format("%04X", codePoint) + ")";
    }
}
