package io.sparklm.data.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * Byte-level byte-pair encoding, as GPT-2 (Radford et al. 2019) applies BPE (Sennrich et al.
 * 2016, "Neural Machine Translation of Rare Words with Subword Units") to UTF-8 bytes: any text
 * encodes, with no unknown token, and decodes back exactly.
 *
 * <p>Encoding: cut out special tokens and split the rest into words ({@link PreTokenizer}); write
 * each word as its UTF-8 bytes, one byte token each; then, as GPT-2's {@code bpe()}, repeatedly
 * take the adjacent pair with the lowest merge rank (the merge learned first) and replace every
 * occurrence of it, left to right, by the merged token, until no adjacent pair has a merge. A
 * word's ids are cached (up to {@value #MAX_CACHED_WORDS} words), so frequent words cost one hash
 * lookup. Unpaired surrogates encode as U+FFFD, as in tiktoken. Decoding concatenates the tokens'
 * bytes and reads them as UTF-8; byte sequences that are not UTF-8 (possible for arbitrary id
 * sequences, never for the ids of a text) read as U+FFFD.
 *
 * <p>JSON: {@code {"type": "bpe", "vocab": {token: id, ...}, "merges": ["Ġ t", ...],
 * "special": {"<|endoftext|>": 50256}}}. Tokens are written in GPT-2's printable byte alphabet
 * ({@link ByteAlphabet}: a space is {@code Ġ}); the vocab holds all 256 byte tokens; merge
 * {@code "a b"} of rank r (its index) joins tokens a and b into token ab, all three in the vocab;
 * the vocab and special ids together are exactly {@code 0..V-1}.
 *
 * <p>Thread-safe and {@link Serializable} (as its JSON), so one instance can be broadcast to Spark
 * executors and shared by their tasks.
 */
public final class ByteBpe implements Tokenizer, Serializable {
    public static final String TYPE = "bpe";
    /** GPT-2's ranks as jtokkit ships them: lines of base64 token bytes, a space, the rank. */
    private static final String GPT2_RANKS = "/com/knuddels/jtokkit/r50k_base.tiktoken";
    private static final int MAX_CACHED_WORDS = 200_000;
    private static final long serialVersionUID = 1L;

    private final Map<String, Integer> vocab;
    private final List<String> merges;
    private final Map<String, Integer> special;
    private final byte[][] bytesOfId;
    private final int[] idOfByte = new int[256];
    private final MergeTable mergeTable;
    private final PreTokenizer preTokenizer;
    private final Map<String, int[]> cache = new ConcurrentHashMap<>();

    /**
     * A tokenizer from its {@code tokenizer.json} fields.
     *
     * @param vocab byte-level tokens, written in {@link ByteAlphabet}, and their ids
     * @param merges {@code "left right"} in rank order
     * @param special special tokens and their ids
     * @throws IllegalArgumentException naming the first entry that breaks the rules in the class
     *     description
     */
    public ByteBpe(Map<String, Integer> vocab, List<String> merges, Map<String, Integer> special) {
        int size = vocab.size() + special.size();
        this.bytesOfId = new byte[size][];
        this.vocab = inIdOrder(vocab);
        this.special = inIdOrder(special);
        String[] tokenOfId = new String[size];
        Arrays.fill(idOfByte, -1);
        for (Map.Entry<String, Integer> entry : vocab.entrySet()) {
            String token = entry.getKey();
            int id = claimId(entry.getValue(), token, tokenOfId);
            try {
                bytesOfId[id] = ByteAlphabet.toBytes(token);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("vocab token \"" + token + "\": " + e.getMessage(), e);
            }
            if (bytesOfId[id].length == 0) {
                throw new IllegalArgumentException("vocab token with id " + id + " is empty");
            }
            if (bytesOfId[id].length == 1) {
                idOfByte[bytesOfId[id][0] & 0xFF] = id;
            }
        }
        for (int b = 0; b < 256; b++) {
            if (idOfByte[b] < 0) {
                throw new IllegalArgumentException(String.format("vocab has no token for byte 0x%02X (\"%s\"); "
                        + "a byte-level vocab needs all 256", b, ByteAlphabet.symbolOf(b)));
            }
        }
        for (Map.Entry<String, Integer> entry : special.entrySet()) {
            if (entry.getKey().isEmpty()) {
                throw new IllegalArgumentException("special token with id " + entry.getValue() + " is empty");
            }
            int id = claimId(entry.getValue(), entry.getKey(), tokenOfId);
            bytesOfId[id] = entry.getKey().getBytes(StandardCharsets.UTF_8);
        }
        this.merges = List.copyOf(merges);
        this.mergeTable = new MergeTable(merges.size());
        for (int rank = 0; rank < merges.size(); rank++) {
            addMerge(rank, merges.get(rank));
        }
        this.preTokenizer = new PreTokenizer(List.copyOf(special.keySet()));
    }

    private static Map<String, Integer> inIdOrder(Map<String, Integer> ids) {
        Map<String, Integer> sorted = new LinkedHashMap<>();
        ids.entrySet().stream().sorted(Map.Entry.comparingByValue(Comparator.nullsFirst(Comparator.naturalOrder())))
                .forEach(entry -> sorted.put(entry.getKey(), entry.getValue()));
        return sorted;
    }

    /** Records that {@code id} belongs to {@code token}, checking it is in range and not yet taken. */
    private static int claimId(Integer id, String token, String[] tokenOfId) {
        if (id == null || id < 0 || id >= tokenOfId.length) {
            throw new IllegalArgumentException("\"" + token + "\" has id " + id + ", outside [0, " + tokenOfId.length
                    + ") (the ids of vocab and special tokens together must be 0..V-1)");
        }
        if (tokenOfId[id] != null) {
            throw new IllegalArgumentException("id " + id + " is given to both \"" + tokenOfId[id] + "\" and \"" + token + "\"");
        }
        tokenOfId[id] = token;
        return id;
    }

    private void addMerge(int rank, String merge) {
        int space = merge.indexOf(' ');
        if (space < 0 || merge.indexOf(' ', space + 1) >= 0) {
            throw new IllegalArgumentException("merge " + rank + " \"" + merge + "\" is not two tokens separated by one space");
        }
        String left = merge.substring(0, space);
        String right = merge.substring(space + 1);
        for (String token : new String[] {left, right, left + right}) {
            if (!vocab.containsKey(token)) {
                throw new IllegalArgumentException("merge " + rank + " \"" + merge + "\": \"" + token + "\" is not in the vocab");
            }
        }
        int earlier = mergeTable.add(vocab.get(left), vocab.get(right), vocab.get(left + right));
        if (earlier >= 0) {
            throw new IllegalArgumentException("merge " + rank + " \"" + merge + "\" repeats merge " + earlier);
        }
    }

    /** GPT-2's tokenizer (r50k_base): 50,000 merges, 256 byte tokens and {@link #END_OF_TEXT}. */
    public static ByteBpe gpt2() {
        List<byte[]> tokens = new ArrayList<>();
        try (InputStream in = ByteBpe.class.getResourceAsStream(GPT2_RANKS)) {
            if (in == null) {
                throw new IllegalStateException("classpath resource " + GPT2_RANKS + " not found: put com.knuddels:jtokkit on the classpath");
            }
            BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                int space = line.indexOf(' ');
                if (space < 0 || Integer.parseInt(line.substring(space + 1)) != tokens.size()) {
                    throw new IllegalStateException(GPT2_RANKS + " line " + (tokens.size() + 1) + " is not \"<base64> " + tokens.size() + "\"");
                }
                tokens.add(Base64.getDecoder().decode(line.substring(0, space)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read classpath resource " + GPT2_RANKS, e);
        }
        return fromRanks(tokens, Map.of(END_OF_TEXT, tokens.size()));
    }

    /**
     * The tokenizer whose id r is {@code tokens[r]}, as tiktoken stores a vocabulary: ranks
     * without merges. The merge that makes a multi-byte token of rank r is found by encoding its
     * bytes with the merges of the tokens ranked before it, which must leave exactly two tokens.
     */
    private static ByteBpe fromRanks(List<byte[]> tokens, Map<String, Integer> special) {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        List<String> merges = new ArrayList<>();
        MergeTable mergeTable = new MergeTable(tokens.size());
        int[] idOfByte = new int[256];
        for (int id = 0; id < tokens.size(); id++) {
            byte[] bytes = tokens.get(id);
            vocab.put(ByteAlphabet.toSymbols(bytes), id);
            if (bytes.length == 1) {
                idOfByte[bytes[0] & 0xFF] = id;
                continue;
            }
            int[] parts = mergeTable.apply(byteIds(bytes, idOfByte));
            if (parts.length != 2) {
                throw new IllegalStateException("token " + id + " \"" + ByteAlphabet.toSymbols(bytes)
                        + "\" is not one merge of two earlier tokens");
            }
            mergeTable.add(parts[0], parts[1], id);
            merges.add(ByteAlphabet.toSymbols(tokens.get(parts[0])) + " " + ByteAlphabet.toSymbols(tokens.get(parts[1])));
        }
        return new ByteBpe(vocab, merges, special);
    }

    /** Rebuilds from {@link #toJson()}; {@code source} names the JSON in errors. */
    static ByteBpe fromJson(JsonNode json, String source) throws IOException {
        Map<String, Integer> vocab = ids(json, "vocab", source);
        JsonNode list = json.get("merges");
        if (list == null || !list.isArray()) {
            throw new IOException(source + ": a \"bpe\" tokenizer needs a \"merges\" array of \"left right\" strings");
        }
        List<String> merges = new ArrayList<>(list.size());
        for (JsonNode merge : list) {
            if (!merge.isTextual()) {
                throw new IOException(source + ": merge " + merges.size() + " is " + merge + ", not a \"left right\" string");
            }
            merges.add(merge.textValue());
        }
        Map<String, Integer> special = json.has("special") ? ids(json, "special", source) : Map.of();
        try {
            return new ByteBpe(vocab, merges, special);
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
    }

    /** The {@code {token: id}} object {@code json[field]}. */
    private static Map<String, Integer> ids(JsonNode json, String field, String source) throws IOException {
        JsonNode object = json.get(field);
        if (object == null || !object.isObject()) {
            throw new IOException(source + ": a \"bpe\" tokenizer needs a \"" + field + "\" object of token: id");
        }
        Map<String, Integer> ids = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : object.properties()) {
            if (!entry.getValue().isInt()) {
                throw new IOException(source + ": " + field + " token \"" + entry.getKey() + "\" has id "
                        + entry.getValue() + ", not an integer");
            }
            ids.put(entry.getKey(), entry.getValue().intValue());
        }
        return ids;
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** Token ids of {@code text}; special tokens in the text encode as their ids. */
    @Override
    public int[] encode(String text) {
        IntStream.Builder ids = IntStream.builder();
        preTokenizer.split(text, word -> {
            for (int id : wordIds(word)) {
                ids.add(id);
            }
        }, token -> ids.add(special.get(token)));
        return ids.build().toArray();
    }

    /** The id of the special token {@link #END_OF_TEXT} (50256 in {@link #gpt2()}), if it is one. */
    @Override
    public OptionalInt endOfText() {
        Integer id = special.get(END_OF_TEXT);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** The id of a special token. */
    public int specialId(String token) {
        Integer id = special.get(token);
        if (id == null) {
            throw new IllegalArgumentException("\"" + token + "\" is not a special token; special tokens: " + special.keySet());
        }
        return id;
    }

    private int[] wordIds(String word) {
        int[] ids = cache.get(word);
        if (ids == null) {
            ids = mergeTable.apply(byteIds(ByteAlphabet.utf8(word), idOfByte));
            if (cache.size() < MAX_CACHED_WORDS) {
                cache.put(word, ids);
            }
        }
        return ids;
    }

    private static int[] byteIds(byte[] bytes, int[] idOfByte) {
        int[] ids = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = idOfByte[bytes[i] & 0xFF];
        }
        return ids;
    }

    @Override
    public String decode(int[] ids) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(ids.length * 4);
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= bytesOfId.length) {
                throw new IllegalArgumentException("token id " + ids[i] + " at position " + i
                        + " is outside the vocabulary [0, " + bytesOfId.length + ")");
            }
            bytes.writeBytes(bytesOfId[ids[i]]);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Override
    public int vocabSize() {
        return bytesOfId.length;
    }

    @Override
    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("type", TYPE);
        ObjectNode vocabJson = json.putObject("vocab");
        vocab.forEach(vocabJson::put);
        ArrayNode mergesJson = json.putArray("merges");
        merges.forEach(mergesJson::add);
        ObjectNode specialJson = json.putObject("special");
        special.forEach(specialJson::put);
        return json;
    }

    /** Serialized as its JSON (the serialization proxy pattern), rebuilt on reading. */
    private Object writeReplace() {
        return new SerializedForm(toJson().toString());
    }

    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("ByteBpe is serialized through its JSON form");
    }

    private record SerializedForm(String json) implements Serializable {
        private Object readResolve() throws IOException {
            return fromJson(new JsonMapper().readTree(json), "serialized ByteBpe");
        }
    }
}
