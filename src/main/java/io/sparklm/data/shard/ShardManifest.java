package io.sparklm.data.shard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparklm.data.corpus.CorpusException;
import java.io.Serializable;
import java.util.OptionalInt;
import java.util.function.Predicate;

/**
 * What {@code shards/manifest.json} says about a shard set: the tokenizer that made it and the
 * id that separates documents in its blocks, its {@link ShardSpec}, its input and counts per split.
 *
 * <p>JSON: <pre>{@code
 * {"tokenizerHash": "3f5a…", "tokenizerType": "char", "vocabSize": 66,
 *  "blockSize": 64, "valFraction": 0.1, "seed": 1337, "endOfText": 65,
 *  "input": "hdfs://nn/corpus/",
 *  "counts": {"train": {"documents": 9000, "blocks": 1200, "tokens": 78000, "droppedTokens": 17},
 *             "val": {…}},
 *  "invalidLinesSkipped": 0, "createdBy": "sparklm tokenize"}
 * }</pre>
 *
 * @param endOfText the tokenizer's {@link Tokenizer#endOfText()} id, between documents in the
 *     blocks; empty ({@code null} in the JSON) only in shards written before every tokenizer had one
 * @param invalidLinesSkipped invalid records (lines, files or rows) the reader skipped
 * @param records the layout of shards of records ({@link RecordShards}), or null for packed token
 *     blocks; in the JSON, the object {@code "records"}, absent for blocks
 */
public record ShardManifest(String tokenizerHash, String tokenizerType, int vocabSize, OptionalInt endOfText, ShardSpec spec,
                            String input, SplitCounts train, SplitCounts val, long invalidLinesSkipped, String createdBy,
                            RecordLayout records) {
    public static final String CREATED_BY = "sparklm tokenize";

    /** The manifest of packed token blocks. */
    public ShardManifest(String tokenizerHash, String tokenizerType, int vocabSize, OptionalInt endOfText, ShardSpec spec,
                         String input, SplitCounts train, SplitCounts val, long invalidLinesSkipped, String createdBy) {
        this(tokenizerHash, tokenizerType, vocabSize, endOfText, spec, input, train, val, invalidLinesSkipped, createdBy, null);
    }

    /** Whether the rows are records ({@link #records}) rather than blocks of blockSize + 1 ids. */
    public boolean holdsRecords() {
        return records != null;
    }

    /**
     * One split's counts.
     *
     * @param documents documents with ids in the split; a long document whose pieces went to
     *     both splits ({@link DocumentSplitter}) counts in both
     * @param blocks rows of its Parquet shards
     * @param tokens token ids in those rows: {@code blocks · (blockSize + 1)}
     * @param droppedTokens ids of the documents (with end-of-text ids) in no block: each
     *     partition's final partial block
     */
    public record SplitCounts(long documents, long blocks, long tokens, long droppedTokens) implements Serializable {
        public static final SplitCounts NONE = new SplitCounts(0, 0, 0, 0);

        /** The counts of one partition's {@code documents} holding {@code ids} ids in all. */
        static SplitCounts packed(long documents, long ids, int blockLength) {
            long blocks = ids / blockLength;
            return new SplitCounts(documents, blocks, blocks * blockLength, ids % blockLength);
        }

        SplitCounts plus(SplitCounts other) {
            return new SplitCounts(documents + other.documents, blocks + other.blocks, tokens + other.tokens,
                    droppedTokens + other.droppedTokens);
        }

        private ObjectNode toJson() {
            ObjectNode json = JsonNodeFactory.instance.objectNode();
            json.put("documents", documents).put("blocks", blocks).put("tokens", tokens).put("droppedTokens", droppedTokens);
            return json;
        }

        private static SplitCounts fromJson(JsonNode json, String source) throws CorpusException {
            return new SplitCounts(field(json, "documents", JsonNode::canConvertToLong, source).longValue(),
                    field(json, "blocks", JsonNode::canConvertToLong, source).longValue(),
                    field(json, "tokens", JsonNode::canConvertToLong, source).longValue(),
                    field(json, "droppedTokens", JsonNode::canConvertToLong, source).longValue());
        }
    }

    public SplitCounts counts(Split split) {
        return split == Split.TRAIN ? train : val;
    }

    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        json.put("tokenizerHash", tokenizerHash).put("tokenizerType", tokenizerType).put("vocabSize", vocabSize)
                .put("blockSize", spec.blockSize()).put("valFraction", spec.valFraction()).put("seed", spec.seed());
        if (endOfText.isPresent()) {
            json.put("endOfText", endOfText.getAsInt());
        } else {
            json.putNull("endOfText");
        }
        json.put("input", input);
        ObjectNode counts = json.putObject("counts");
        counts.set(Split.TRAIN.dirName(), train.toJson());
        counts.set(Split.VAL.dirName(), val.toJson());
        json.put("invalidLinesSkipped", invalidLinesSkipped).put("createdBy", createdBy);
        if (records != null) {
            json.set("records", records.toJson());
        }
        return json;
    }

    /** Reads {@link #toJson()}'s form; {@code source} names the file in errors. */
    public static ShardManifest fromJson(JsonNode json, String source) throws CorpusException {
        JsonNode endOfText = field(json, "endOfText", n -> n.isNull() || n.canConvertToInt() && n.intValue() >= 0, source);
        ShardSpec spec;
        try {
            spec = new ShardSpec(field(json, "blockSize", JsonNode::canConvertToInt, source).intValue(),
                    field(json, "valFraction", JsonNode::isNumber, source).doubleValue(),
                    field(json, "seed", JsonNode::canConvertToLong, source).longValue());
        } catch (IllegalArgumentException e) {
            throw new CorpusException(source + ": " + e.getMessage() + "; re-run tokenize");
        }
        JsonNode counts = field(json, "counts", JsonNode::isObject, source);
        return new ShardManifest(field(json, "tokenizerHash", JsonNode::isTextual, source).textValue(),
                field(json, "tokenizerType", JsonNode::isTextual, source).textValue(),
                field(json, "vocabSize", JsonNode::canConvertToInt, source).intValue(),
                endOfText.isNull() ? OptionalInt.empty() : OptionalInt.of(endOfText.intValue()),
                spec,
                field(json, "input", JsonNode::isTextual, source).textValue(),
                SplitCounts.fromJson(field(counts, Split.TRAIN.dirName(), JsonNode::isObject, source), source),
                SplitCounts.fromJson(field(counts, Split.VAL.dirName(), JsonNode::isObject, source), source),
                field(json, "invalidLinesSkipped", JsonNode::canConvertToLong, source).longValue(),
                field(json, "createdBy", JsonNode::isTextual, source).textValue(),
                json.has("records") ? RecordLayout.fromJson(json.get("records"), source) : null);
    }

    /** {@code json.get(name)}, which must pass {@code valid}. */
    private static JsonNode field(JsonNode json, String name, Predicate<JsonNode> valid, String source) throws CorpusException {
        JsonNode value = json.get(name);
        if (value == null || !valid.test(value)) {
            throw new CorpusException(source + ": field \"" + name + "\" is " + (value == null ? "missing" : "invalid: " + value)
                    + "; is it a shards/manifest.json? re-run tokenize");
        }
        return value;
    }
}
