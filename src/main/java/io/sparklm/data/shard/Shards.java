package io.sparklm.data.shard;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sparklm.data.corpus.Corpus;
import io.sparklm.data.corpus.CorpusException;
import io.sparklm.data.corpus.Document;
import io.sparklm.data.shard.DocumentSplitter.SplitDocument;
import io.sparklm.data.shard.ShardManifest.SplitCounts;
import io.sparklm.data.tokenizer.ByteBpe;
import io.sparklm.data.tokenizer.CharTokenizer;
import io.sparklm.data.tokenizer.Tokenizer;
import io.sparklm.data.tokenizer.WordPiece;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.StreamSupport;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Packed token blocks in Parquet with a manifest: what {@code sparklm tokenize} writes and training
 * reads. Layout under an output directory {@code OUT} (any Hadoop FileSystem URI):
 * <pre>
 * OUT/tokenizer.json                the tokenizer ({@link Tokenizer#toJson()}), pretty-printed
 * OUT/shards/manifest.json          the {@link ShardManifest}
 * OUT/shards/train/part-*.parquet   one row per block: column ids, array&lt;int&gt; of blockSize + 1 ids
 * OUT/shards/val/part-*.parquet     the same, for validation
 * </pre>
 *
 * <p>{@link #write Writing}: documents are tokenised on executors (the tokenizer is broadcast as
 * its JSON and rebuilt per partition), cut into pieces when long and sent to train or val with
 * the tokenizer's {@link Tokenizer#endOfText()} id after each run of text ({@link DocumentSplitter}),
 * and each split packed by {@link BlockPacker} per partition of the documents, in order. Every
 * partition's final partial block is dropped (counted as {@code droppedTokens}), so the blocks
 * depend, deterministically, on how the documents are partitioned; which documents go to which
 * split does not. Everything is written under {@code OUT/_tmp-<uuid>} and renamed into place at
 * the end.
 *
 * <p>{@link #open Reading}: checks the manifest against the tokenizer and block size training
 * expects, and gives each split as an RDD of exactly N elements, one packed int[] per partition,
 * the blocks dealt to the partitions by {@link BlockDealer}, so each partition samples the whole
 * split.
 */
public final class Shards {
    public static final String DIRECTORY = "shards";
    public static final String MANIFEST = "manifest.json";
    public static final String TOKENIZER = "tokenizer.json";
    /** Parquet schema of a split: {@code ids array<int>}, neither the array nor its ids null. */
    static final StructType SCHEMA = new StructType().add("ids", DataTypes.createArrayType(DataTypes.IntegerType, false), false);
    private static final Logger LOG = LoggerFactory.getLogger(Shards.class);

    private final SparkSession spark;
    private final String output;
    private final ShardManifest manifest;

    private Shards(SparkSession spark, String output, ShardManifest manifest) {
        this.spark = spark;
        this.output = output;
        this.manifest = manifest;
    }

    /**
     * Tokenises {@code corpus} and writes its shards, manifest and tokenizer under {@code output}.
     *
     * @param overwrite replace an existing {@code output/shards} and {@code output/tokenizer.json};
     *     without it they are errors (a tokenizer.json equal to {@code tokenizer} is not)
     * @return the manifest written
     * @throws IllegalArgumentException when the tokenizer has no {@link Tokenizer#endOfText()}
     * @throws CorpusException naming the input when the corpus has no documents, no train block,
     *     invalid records (see {@link CorpusReader}), or text the tokenizer cannot encode; or naming
     *     the output when it exists
     */
    public static ShardManifest write(SparkSession spark, Corpus corpus, Tokenizer tokenizer, ShardSpec spec,
                                      String output, boolean overwrite) throws IOException {
        int endOfText = tokenizer.endOfText().orElseThrow(() -> new IllegalArgumentException("the " + tokenizer.type()
                + " tokenizer " + tokenizer.hash() + " has no end-of-text id to put between documents: "
                + endOfTextNeeded(tokenizer.type()) + "; add it to its tokenizer.json, or fit a new tokenizer"));
        Path out = new Path(output);
        FileSystem fs = out.getFileSystem(spark.sparkContext().hadoopConfiguration());
        checkOutput(fs, out, tokenizer, overwrite);
        Broadcast<String> tokenizerJson = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .broadcast(tokenizer.toJson().toString());
        JavaRDD<SplitDocument> documents = tokenize(corpus.documents(), tokenizerJson, new DocumentSplitter(spec, endOfText))
                .persist(StorageLevel.MEMORY_AND_DISK_SER());
        try (StagedDirectory staged = new StagedDirectory(fs, out)) {
            SplitCounts[] counts = count(documents, spec.blockLength());
            long skipped = corpus.invalidSkipped().value();
            checkCounts(corpus.uri(), counts, skipped, spec, documents.getNumPartitions());
            for (Split split : Split.values()) {
                writeBlocks(spark, documents, split, spec.blockLength(), staged.path(DIRECTORY + "/" + split.dirName()));
                LOG.info("wrote {} {} blocks of {} tokens", counts[split.ordinal()].blocks(), split.dirName(), spec.blockLength());
            }
            ShardManifest manifest = new ShardManifest(tokenizer.hash(), tokenizer.type(), tokenizer.vocabSize(),
                    OptionalInt.of(endOfText), spec,
                    corpus.uri(), counts[Split.TRAIN.ordinal()], counts[Split.VAL.ordinal()], skipped,
                    ShardManifest.CREATED_BY);
            JsonFiles.write(fs, staged.path(DIRECTORY + "/" + MANIFEST), manifest.toJson());
            JsonFiles.write(fs, staged.path(TOKENIZER), tokenizer.toJson());
            checkOutput(fs, out, tokenizer, overwrite); // again: another job may have written meanwhile
            staged.publish(DIRECTORY);
            staged.publish(TOKENIZER);
            return manifest;
        } catch (Exception e) {
            throw CorpusException.thrownBy(e);
        } finally {
            documents.unpersist(false);
            tokenizerJson.destroy();
        }
    }

    /**
     * The shards that {@link #write} wrote under {@code output} ({@code OUT}), checked against the
     * tokenizer and block size training expects.
     *
     * @param blockSize the block size training expects, or 0 (or less) to take the shards' own
     * @throws CorpusException when there is no manifest, or it names another tokenizer or block size
     */
    public static Shards open(SparkSession spark, String output, Tokenizer expected, int blockSize) throws IOException {
        Path file = new Path(new Path(output, DIRECTORY), MANIFEST);
        FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (!fs.exists(file)) {
            throw new CorpusException("no shards at " + output + ": " + file + " does not exist; run sparklm tokenize first");
        }
        ShardManifest manifest = ShardManifest.fromJson(JsonFiles.read(fs, file), file.toString());
        if (!manifest.tokenizerHash().equals(expected.hash())) {
            throw new CorpusException("shards at " + output + " were made with tokenizer " + manifest.tokenizerHash()
                    + ", not " + expected.hash() + ": re-run tokenize");
        }
        if (blockSize > 0 && manifest.spec().blockSize() != blockSize) {
            throw new CorpusException("shards at " + output + " have blockSize " + manifest.spec().blockSize() + ", not "
                    + blockSize + ": re-run tokenize with blockSize " + blockSize);
        }
        return new Shards(spark, output, manifest);
    }

    /** The tokenizer that {@link #write} saved under {@code output}: {@code OUT/tokenizer.json}. */
    public static Tokenizer readTokenizer(SparkSession spark, String output) throws IOException {
        Path file = new Path(output, TOKENIZER);
        FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (!fs.exists(file)) {
            throw new CorpusException("no tokenizer at " + output + ": " + file + " does not exist; run sparklm tokenize first");
        }
        return Tokenizer.fromJson(JsonFiles.read(fs, file), file.toString());
    }

    /** The output directory {@code OUT} the shards were opened from. */
    public String output() {
        return output;
    }

    public ShardManifest manifest() {
        return manifest;
    }

    /**
     * The train blocks as exactly {@code partitions} elements, one per partition: that partition's
     * blocks concatenated, {@code k · (blockSize + 1)} ids, dealt by {@link BlockDealer} with the
     * shards' seed, so each partition holds at least one block, a sample of the whole split, the
     * same on every call. Not persisted: cache it, serialized (DESIGN), for repeated passes.
     *
     * @throws CorpusException when there are fewer train blocks than partitions
     */
    public JavaRDD<int[]> train(int partitions) throws IOException {
        long blocks = manifest.train().blocks();
        if (blocks < partitions) {
            throw new CorpusException("shards at " + output + " hold " + blocks + " train blocks, fewer than the " + partitions
                    + " partitions asked for; use fewer workers, or re-run tokenize with a smaller blockSize or more text");
        }
        return packed(Split.TRAIN, partitions);
    }

    /** The validation blocks as {@link #train}'s, except that partitions may be empty ({@code int[0]}). */
    public JavaRDD<int[]> val(int partitions) throws IOException {
        return packed(Split.VAL, partitions);
    }

    private JavaRDD<int[]> packed(Split split, int partitions) throws IOException {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be positive, got " + partitions);
        }
        String dir = new Path(new Path(output, DIRECTORY), split.dirName()).toString();
        long blocks = manifest.counts(split).blocks();
        int blockLength = manifest.spec().blockLength();
        try {
            Dataset<Row> rows = spark.read().schema(SCHEMA).parquet(dir);
            long found = rows.count();
            if (found != blocks) {
                throw new CorpusException(dir + " holds " + found + " blocks, but its " + MANIFEST + " says " + blocks
                        + "; the shards are damaged: re-run tokenize");
            }
            int length = manifest.holdsRecords() ? -1 : blockLength;
            return BlockDealer.deal(rows.javaRDD().map(row -> ids(row, length, dir)), partitions, manifest.spec().seed());
        } catch (Exception e) {
            throw CorpusException.thrownBy(e);
        }
    }

    /** A row's ids, which must number {@code blockLength} unless that is −1 (records). */
    private static int[] ids(Row row, int blockLength, String dir) throws CorpusException {
        List<Integer> ids = row.getList(0);
        if (blockLength >= 0 && ids.size() != blockLength) {
            throw new CorpusException(dir + " holds a block of " + ids.size() + " ids, not blockSize + 1 = " + blockLength
                    + "; the shards are damaged: re-run tokenize");
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    static void checkOutput(FileSystem fs, Path out, Tokenizer tokenizer, boolean overwrite) throws IOException {
        if (overwrite) {
            return;
        }
        Path shards = new Path(out, DIRECTORY);
        if (fs.exists(shards)) {
            throw new CorpusException("output " + shards + " already exists; choose another output, or set overwrite to replace it");
        }
        Path tokenizerFile = new Path(out, TOKENIZER);
        if (fs.exists(tokenizerFile) && !holds(fs, tokenizerFile, tokenizer)) {
            throw new CorpusException("output " + tokenizerFile + " holds another tokenizer; choose another output, "
                    + "or set overwrite to replace it");
        }
    }

    private static boolean holds(FileSystem fs, Path tokenizerFile, Tokenizer tokenizer) throws IOException {
        try {
            return JsonFiles.read(fs, tokenizerFile).equals(tokenizer.toJson());
        } catch (CorpusException notJson) {
            return false;
        }
    }

    /** What {@code type}'s tokenizer.json needs for an {@link Tokenizer#endOfText()} id. */
    private static String endOfTextNeeded(String type) {
        return switch (type) {
            case CharTokenizer.TYPE -> "a char tokenizer needs \"special\": {\"" + Tokenizer.END_OF_TEXT + "\": <its number of characters>}";
            case ByteBpe.TYPE -> "a bpe tokenizer needs \"" + Tokenizer.END_OF_TEXT + "\" among its \"special\" tokens";
            case WordPiece.TYPE -> "a wordpiece tokenizer needs \"" + WordPiece.SEPARATOR + "\" in its \"vocab\"";
            default -> "see " + Tokenizer.class.getName() + ".endOfText()";
        };
    }

    private static JavaRDD<SplitDocument> tokenize(JavaRDD<Document> documents, Broadcast<String> tokenizerJson,
                                                   DocumentSplitter splitter) {
        return documents.mapPartitions(partition -> {
            Tokenizer tokenizer = Tokenizer.fromJson(new JsonMapper().readTree(tokenizerJson.value()), "the broadcast tokenizer");
            return StreamSupport.stream(Spliterators.spliteratorUnknownSize(partition, Spliterator.ORDERED), false)
                    .map(document -> splitter.split(document.id(), encode(tokenizer, document)))
                    .iterator();
        });
    }

    private static int[] encode(Tokenizer tokenizer, Document document) {
        try {
            return tokenizer.encode(document.text());
        } catch (IllegalArgumentException e) {
            throw new UncheckedIOException(new CorpusException("corpus document " + document.id() + ": " + e.getMessage()));
        }
    }

    /** Per split, indexed by {@link Split#ordinal()}: documents, and blocks as {@link #writeBlocks} packs them. */
    private static SplitCounts[] count(JavaRDD<SplitDocument> documents, int blockLength) {
        return documents.mapPartitions(partition -> {
            long[] documentCount = new long[2];
            long[] ids = new long[2];
            partition.forEachRemaining(document -> {
                for (Split split : Split.values()) {
                    int n = document.ids(split).length;
                    documentCount[split.ordinal()] += n > 0 ? 1 : 0;
                    ids[split.ordinal()] += n;
                }
            });
            return Collections.singletonList(new SplitCounts[] {
                    SplitCounts.packed(documentCount[0], ids[0], blockLength),
                    SplitCounts.packed(documentCount[1], ids[1], blockLength)}).iterator();
        }).fold(new SplitCounts[] {SplitCounts.NONE, SplitCounts.NONE},
                (a, b) -> new SplitCounts[] {a[0].plus(b[0]), a[1].plus(b[1])});
    }

    private static void checkCounts(String corpus, SplitCounts[] counts, long skipped, ShardSpec spec, int partitions)
            throws CorpusException {
        SplitCounts train = counts[Split.TRAIN.ordinal()];
        SplitCounts val = counts[Split.VAL.ordinal()];
        LOG.info("read {} documents ({} train, {} val) of {} tokens from {}; skipped {} invalid records",
                train.documents() + val.documents(), train.documents(), val.documents(),
                train.tokens() + train.droppedTokens() + val.tokens() + val.droppedTokens(), corpus, skipped);
        if (train.documents() + val.documents() == 0) {
            throw new CorpusException("corpus " + corpus + " holds no documents"
                    + (skipped > 0 ? " (" + skipped + " invalid records skipped)" : "") + "; give it files with text");
        }
        if (train.blocks() == 0) {
            throw new CorpusException("corpus " + corpus + " gives no train block: its " + train.droppedTokens() + " train ids"
                    + (spec.valFraction() > 0 ? " (and " + (val.tokens() + val.droppedTokens()) + " val ids, valFraction "
                    + spec.valFraction() + ")" : "") + " make no block of blockSize + 1 = " + spec.blockLength() + " ids in "
                    + (partitions == 1 ? "its one partition" : "any of its " + partitions + " partitions")
                    + "; use a smaller blockSize" + (spec.valFraction() > 0 ? ", a smaller valFraction" : "") + " or more text");
        }
        if (val.blocks() == 0 && spec.valFraction() > 0) {
            LOG.warn("corpus {} gives no validation block of {} tokens: use a larger valFraction or more text",
                    corpus, spec.blockLength());
        }
    }

    private static void writeBlocks(SparkSession spark, JavaRDD<SplitDocument> documents, Split split, int blockLength,
                                    Path dir) {
        JavaRDD<Row> blocks = documents.map(document -> document.ids(split))
                .mapPartitions(ids -> new BlockPacker(ids, blockLength))
                .map(block -> RowFactory.create((Object) block));
        spark.createDataFrame(blocks, SCHEMA).write().parquet(dir.toString());
    }
}
