package io.sparklm.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Arrays;

/**
 * One token per Unicode code point, as nanoGPT's {@code shakespeare_char}: the vocabulary is
 * {@code sorted(set(text))}, the distinct code points of the training text in code point order,
 * and id i is the i-th of them. Supplementary characters (outside the BMP, two UTF-16 chars in
 * Java) are one token each and sort by code point, as Python does.
 *
 * <p>JSON: {@code {"type": "char", "vocab": ["\n", " ", "!", ...]}}, one string of exactly one
 * code point per id, in id order.
 */
public final class CharTokenizer implements Tokenizer {
    public static final String TYPE = "char";

    /** Id to code point. */
    private final int[] vocab;
    /** The vocabulary's code points in increasing order, and the id of each, for encoding. */
    private final int[] sortedCodePoints;
    private final int[] idOfSorted;

    private CharTokenizer(int[] vocab) {
        this.vocab = vocab;
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

    /** The tokenizer whose vocabulary is the distinct code points of {@code text}, sorted. */
    public static CharTokenizer fit(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("cannot build a character vocabulary from empty text");
        }
        return new CharTokenizer(text.codePoints().distinct().sorted().toArray());
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
        CharTokenizer tokenizer = new CharTokenizer(vocab);
        for (int i = 1; i < tokenizer.sortedCodePoints.length; i++) {
            if (tokenizer.sortedCodePoints[i] == tokenizer.sortedCodePoints[i - 1]) {
                throw new IOException(source + ": vocab lists " + describe(tokenizer.sortedCodePoints[i])
                        + " twice (ids " + tokenizer.idOfSorted[i - 1] + " and " + tokenizer.idOfSorted[i] + ")");
            }
        }
        return tokenizer;
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
            if (ids[i] < 0 || ids[i] >= vocab.length) {
                throw new IllegalArgumentException("token id " + ids[i] + " at position " + i
                        + " is outside the vocabulary [0, " + vocab.length + ")");
            }
            text.appendCodePoint(vocab[ids[i]]);
        }
        return text.toString();
    }

    @Override
    public int vocabSize() {
        return vocab.length;
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("type", TYPE);
        ArrayNode list = json.putArray("vocab");
        for (int codePoint : vocab) {
            list.add(Character.toString(codePoint));
        }
        return json;
    }

    /** {@code 'é' (U+00E9)}: the character and its code point, readable even when invisible. */
    private static String describe(int codePoint) {
        return "'" + Character.toString(codePoint) + "' (U+" + String.format("%04X", codePoint) + ")";
    }
}
