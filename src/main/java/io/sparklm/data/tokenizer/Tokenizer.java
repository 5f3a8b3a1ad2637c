package io.sparklm.data.tokenizer;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.OptionalInt;

/**
 * Text to token ids and back, with a vocabulary of {@link #vocabSize()} ids {@code 0..V-1}.
 *
 * <p>Stored as {@code tokenizer.json}: a JSON object whose {@code "type"} names the
 * implementation ({@code "char"}: {@link CharTokenizer}, {@code "bpe"}: {@link ByteBpe},
 * {@code "wordpiece"}: {@link WordPiece}); the other fields belong to the type.
 * {@link #load(Path)} dispatches on the type.
 *
 * <p>A tokenizer may have an {@link #endOfText()} id: the id that packed blocks put between
 * documents. It is reserved: encoding ordinary text never gives it ({@link ByteBpe} gives it for
 * the literal text {@value #END_OF_TEXT} only, as GPT-2 does).
 */
public interface Tokenizer {
    /** The text of the end-of-text special token of {@link ByteBpe} and {@link CharTokenizer}, GPT-2's document separator. */
    String END_OF_TEXT = "<|endoftext|>";

    /** The {@code "type"} field of this tokenizer's JSON. */
    String type();

    /** Token ids of {@code text}; throws IllegalArgumentException naming what cannot be encoded. */
    int[] encode(String text);

    /** The text of {@code ids}; throws IllegalArgumentException for an id outside {@code [0, vocabSize)}. */
    String decode(int[] ids);

    int vocabSize();

    /**
     * The id that separates documents in packed blocks ({@link Shards#write}), if this tokenizer
     * has one: {@link #END_OF_TEXT} for {@link ByteBpe} and {@link CharTokenizer},
     * {@value WordPiece#SEPARATOR} for {@link WordPiece}. Tokenizers read from a
     * {@code tokenizer.json} that lacks it have none.
     */
    OptionalInt endOfText();

    /** Everything needed to rebuild this tokenizer, with {@code "type"} first. */
    ObjectNode toJson();

    /**
     * SHA-256 (lowercase hex) of the canonical JSON: {@link #toJson()} written compactly, object
     * keys sorted, in UTF-8. Equal tokenizers have equal hashes; shard manifests record it.
     */
    default String hash() {
        try {
            byte[] json = JsonMapper.builder().enable(JsonNodeFeature.WRITE_PROPERTIES_SORTED).build()
                    .writeValueAsBytes(toJson());
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
        } catch (JacksonException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash tokenizer JSON", e);
        }
    }

    /** Writes {@link #toJson()}, pretty-printed UTF-8, to {@code file}. */
    default void save(Path file) throws IOException {
        String json = new JsonMapper().writerWithDefaultPrettyPrinter().writeValueAsString(toJson());
        Files.writeString(file, json + "\n", StandardCharsets.UTF_8);
    }

    /** Reads a {@code tokenizer.json} written by {@link #save(Path)}. */
    static Tokenizer load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /** Reads a {@code tokenizer.json} from a stream, to its end; {@code source} names it in errors (a path or URI). */
    static Tokenizer read(InputStream in, String source) throws IOException {
        JsonNode json;
        try {
            json = new JsonMapper().readTree(in);
        } catch (JacksonException e) {
            throw new IOException(source + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
        return fromJson(json, source);
    }

    /**
     * Rebuilds a tokenizer from its {@link #toJson()} form.
     *
     * @param source names the JSON's origin in errors (a path or URI)
     */
    static Tokenizer fromJson(JsonNode json, String source) throws IOException {
        JsonNode type = json == null ? null : json.get("type");
        if (type == null || !type.isTextual()) {
            throw new IOException(source + " has no \"type\" string; is it a tokenizer.json?");
        }
        return switch (type.textValue()) {
            case CharTokenizer.TYPE -> CharTokenizer.fromJson(json, source);
            case ByteBpe.TYPE -> ByteBpe.fromJson(json, source);
            case WordPiece.TYPE -> WordPiece.fromJson(json, source);
            default -> throw new IOException(source + " has tokenizer type \"" + type.textValue()
                    + "\"; known types: \"" + CharTokenizer.TYPE + "\", \"" + ByteBpe.TYPE + "\", \"" + WordPiece.TYPE + "\"");
        };
    }
}
