package io.sparklm.data;

import static io.sparklm.data.TestCorpus.failure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklm.LocalSpark;
import io.sparklm.data.ShardManifest.SplitCounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShardsTest {
    private static final int BLOCK_SIZE = 15;
    private static final long SEED = 42;
    private static final double VAL_FRACTION = 0.2;

    private final SparkSession spark = LocalSpark.get();
    private final CharTokenizer tokenizer = TestCorpus.tokenizer();
    private final ShardSpec spec = new ShardSpec(BLOCK_SIZE, VAL_FRACTION, SEED, OptionalInt.of(tokenizer.encode("\n")[0]));

    @TempDir
    Path dir;
    private Corpus corpus;

    @BeforeEach
    void writeCorpus() throws IOException {
        Path file = TestCorpus.writeLines(dir.resolve("corpus.txt"), TestCorpus.documents(300));
        corpus = CorpusReader.of(CorpusReader.Format.TEXT).read(spark, file.toString());
    }

    private Corpus partitioned(int partitions) {
        JavaRDD<Document> documents = partitions == 1 ? corpus.documents().coalesce(1) : corpus.documents().repartition(partitions);
        return new Corpus(corpus.uri(), documents, corpus.invalidSkipped());
    }

    private String out(String name) {
        return dir.resolve(name).toString();
    }

    /** The blocks of one split, in shard order. */
    private List<int[]> blocks(String out, Split split) {
        List<int[]> blocks = new ArrayList<>();
        for (Row row : spark.read().parquet(out + "/shards/" + split.dirName()).collectAsList()) {
            blocks.add(row.<Integer>getList(0).stream().mapToInt(Integer::intValue).toArray());
        }
        return blocks;
    }

    private static int[] concatenate(List<int[]> arrays) {
        return arrays.stream().flatMapToInt(Arrays::stream).toArray();
    }

    @Test
    void blocksHoldTheDocumentsTokensInOrderBySplitLessTheLastPartialBlock() throws IOException {
        ShardManifest manifest = Shards.write(spark, partitioned(1), tokenizer, spec, out("run"), false);
        List<Document> documents = corpus.documents().collect();
        int endOfText = spec.endOfText().getAsInt();
        for (Split split : Split.values()) {
            int[] stream = documents.stream().filter(d -> Split.of(d.id(), SEED, VAL_FRACTION) == split)
                    .flatMapToInt(d -> Stream.of(tokenizer.encode(d.text()), new int[] {endOfText}).flatMapToInt(Arrays::stream))
                    .toArray();
            List<int[]> blocks = blocks(out("run"), split);
            blocks.forEach(block -> assertEquals(BLOCK_SIZE + 1, block.length));
            int kept = stream.length / (BLOCK_SIZE + 1) * (BLOCK_SIZE + 1);
            assertArrayEquals(Arrays.copyOf(stream, kept), concatenate(blocks), split + " blocks");
            long documentCount = documents.stream().filter(d -> Split.of(d.id(), SEED, VAL_FRACTION) == split).count();
            assertEquals(new SplitCounts(documentCount, blocks.size(), kept, stream.length - kept), manifest.counts(split));
        }
        assertTrue(manifest.val().documents() > 40 && manifest.val().documents() < 80, "about a fifth of 300 in val");
    }

    @Test
    void theManifestDescribesTheShardsAndTheTokenizerIsSavedBesideThem() throws IOException {
        ShardManifest manifest = Shards.write(spark, partitioned(3), tokenizer, spec, out("run"), false);
        for (Split split : Split.values()) {
            assertEquals(manifest.counts(split).blocks(), blocks(out("run"), split).size());
        }
        assertEquals(manifest, ShardManifest.fromJson(
                new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("run/shards/manifest.json").toFile()), "m"));
        assertEquals(new ShardManifest(tokenizer.hash(), "char", tokenizer.vocabSize(), spec, corpus.uri(), manifest.train(),
                manifest.val(), 0, "sparklm tokenize"), manifest);
        assertEquals(tokenizer.hash(), Tokenizer.load(dir.resolve("run/tokenizer.json")).hash());
        assertEquals(tokenizer.hash(), Shards.readTokenizer(spark, out("run")).hash());
        try (Stream<Path> entries = Files.list(dir.resolve("run"))) {
            assertEquals(List.of("shards", "tokenizer.json"),
                    entries.map(p -> p.getFileName().toString()).filter(name -> !name.endsWith(".crc")).sorted().toList());
        }
    }

    @Test
    void theSplitIsByDocumentWhateverThePartitioning() throws IOException {
        ShardManifest one = Shards.write(spark, partitioned(1), tokenizer, spec, out("one"), false);
        ShardManifest three = Shards.write(spark, partitioned(3), tokenizer, spec, out("three"), false);
        for (Split split : Split.values()) {
            SplitCounts a = one.counts(split);
            SplitCounts b = three.counts(split);
            assertEquals(a.documents(), b.documents(), split + " documents");
            assertEquals(a.tokens() + a.droppedTokens(), b.tokens() + b.droppedTokens(), split + " tokens");
            assertTrue(b.droppedTokens() < 3 * (BLOCK_SIZE + 1), "at most one partial block per partition dropped");
        }
        assertEquals(one, Shards.write(spark, partitioned(1), tokenizer, spec, out("again"), false));
    }

    @Test
    void openGivesOnePackedElementPerPartitionInShardOrder() throws IOException {
        Shards.write(spark, partitioned(3), tokenizer, spec, out("run"), false);
        Shards shards = Shards.open(spark, out("run"), TestCorpus.tokenizer(), BLOCK_SIZE);
        JavaRDD<int[]> train = shards.train(4);
        assertEquals(4, train.getNumPartitions());
        List<int[]> packed = train.collect();
        assertEquals(4, packed.size());
        long blocks = shards.manifest().train().blocks();
        for (int[] partition : packed) {
            assertEquals(0, partition.length % (BLOCK_SIZE + 1));
            assertTrue(Math.abs(partition.length / (BLOCK_SIZE + 1) - blocks / 4.0) <= 1, "near-equal ranges");
        }
        assertArrayEquals(concatenate(blocks(out("run"), Split.TRAIN)), concatenate(packed));
        List<int[]> val = shards.val(2).collect();
        assertEquals(2, val.size());
        assertEquals(shards.manifest().val().tokens(), val.stream().mapToInt(p -> p.length).sum());
    }

    @Test
    void validationPartitionsMayBeEmptyButTrainPartitionsMayNot() throws IOException {
        ShardSpec noVal = new ShardSpec(BLOCK_SIZE, 0, SEED, OptionalInt.empty());
        ShardManifest manifest = Shards.write(spark, partitioned(2), tokenizer, noVal, out("run"), false);
        assertEquals(SplitCounts.NONE, manifest.val());
        Shards shards = Shards.open(spark, out("run"), tokenizer, BLOCK_SIZE);
        assertEquals(List.of(0, 0, 0), shards.val(3).collect().stream().map(p -> p.length).toList());
        long blocks = manifest.train().blocks();
        assertEquals("shards at " + out("run") + " hold " + blocks + " train blocks, fewer than the " + (blocks + 1)
                + " partitions asked for; use fewer workers, or re-run tokenize with a smaller blockSize or more text",
                failure(() -> shards.train((int) blocks + 1)));
    }

    @Test
    void anExistingOutputIsAnErrorUnlessOverwriting() throws IOException {
        ShardManifest first = Shards.write(spark, partitioned(1), tokenizer, spec, out("run"), false);
        assertEquals("output " + out("run") + "/shards already exists; choose another output, or set overwrite to replace it",
                failure(() -> Shards.write(spark, partitioned(1), tokenizer, spec, out("run"), false)));
        ShardSpec longer = new ShardSpec(2 * BLOCK_SIZE, VAL_FRACTION, SEED, OptionalInt.empty());
        ShardManifest second = Shards.write(spark, partitioned(1), tokenizer, longer, out("run"), true);
        assertEquals(first.train().documents(), second.train().documents());
        assertEquals(2 * BLOCK_SIZE + 1, blocks(out("run"), Split.TRAIN).get(0).length);
        try (Stream<Path> entries = Files.list(dir.resolve("run"))) {
            assertFalse(entries.anyMatch(p -> p.getFileName().toString().startsWith("_tmp-")), "staging removed");
        }
    }

    @Test
    void anotherTokenizerJsonInTheOutputIsAnErrorUnlessOverwriting() throws IOException {
        Files.createDirectories(dir.resolve("run"));
        CharTokenizer.fit("abc").save(dir.resolve("run/tokenizer.json"));
        String message = failure(() -> Shards.write(spark, partitioned(1), tokenizer, spec, out("run"), false));
        assertTrue(message.endsWith("run/tokenizer.json holds another tokenizer; choose another output, or set overwrite "
                + "to replace it"), message);
        tokenizer.save(dir.resolve("run/tokenizer.json"));
        Shards.write(spark, partitioned(1), tokenizer, spec, out("run"), false);
    }

    @Test
    void openingWithAnotherTokenizerOrBlockSizeIsAnError() throws IOException {
        Shards.write(spark, partitioned(1), tokenizer, spec, out("run"), false);
        CharTokenizer other = CharTokenizer.fit("abc");
        assertEquals("shards at " + out("run") + " were made with tokenizer " + tokenizer.hash() + ", not "
                + other.hash() + ": re-run tokenize", failure(() -> Shards.open(spark, out("run"), other, BLOCK_SIZE)));
        assertEquals("shards at " + out("run") + " have blockSize " + BLOCK_SIZE + ", not 64: re-run tokenize with "
                + "blockSize 64", failure(() -> Shards.open(spark, out("run"), tokenizer, 64)));
        assertEquals("no shards at " + out("nowhere") + ": " + out("nowhere") + "/shards/manifest.json does not exist; run "
                + "sparklm tokenize first", failure(() -> Shards.open(spark, out("nowhere"), tokenizer, BLOCK_SIZE)));
        assertEquals(BLOCK_SIZE, Shards.open(spark, out("run"), tokenizer, 0).manifest().spec().blockSize(), "0: any block size");
    }

    @Test
    void anEndOfTextIdOutsideTheVocabularyIsRejected() {
        ShardSpec outside = new ShardSpec(BLOCK_SIZE, VAL_FRACTION, SEED, OptionalInt.of(tokenizer.vocabSize()));
        assertEquals("endOfText " + tokenizer.vocabSize() + " is outside the tokenizer's vocabulary [0, " + tokenizer.vocabSize() + ")",
                assertThrows(IllegalArgumentException.class,
                        () -> Shards.write(spark, corpus, tokenizer, outside, out("run"), false)).getMessage());
    }

    @Test
    void textTheTokenizerCannotEncodeIsAnErrorNamingTheDocument() {
        CharTokenizer narrow = CharTokenizer.fit("0123456789 thequick\n");
        assertEquals("corpus document file:" + dir.resolve("corpus.txt") + ":2: 'b' (U+0062) at position 8 is not in the "
                        + "vocabulary of 20 characters; refit the tokenizer on text that contains it",
                failure(() -> Shards.write(spark, partitioned(1), narrow, spec, out("run"), false)));
        assertFalse(Files.exists(dir.resolve("run/shards")));
    }

    @Test
    void aCorpusWithoutDocumentsOrWithLessThanOneBlockIsAnError() throws IOException {
        Path blank = Files.writeString(dir.resolve("blank.txt"), "\n\n\n");
        Corpus empty = CorpusReader.of(CorpusReader.Format.TEXT).read(spark, blank.toString());
        assertEquals("corpus " + blank + " holds no documents; give it files with text",
                failure(() -> Shards.write(spark, empty, tokenizer, spec, out("run"), false)));
        Path tiny = Files.writeString(dir.resolve("tiny.txt"), "0 the\n");
        Corpus small = CorpusReader.of(CorpusReader.Format.TEXT).read(spark, tiny.toString());
        ShardSpec allTrain = new ShardSpec(BLOCK_SIZE, 0, SEED, OptionalInt.empty());
        assertEquals("corpus " + tiny + " gives 5 train tokens, fewer than one block of blockSize + 1 = 16 in any partition; "
                + "use a smaller blockSize or more text", failure(() -> Shards.write(spark, small, tokenizer, allTrain, out("run"), false)));
        assertFalse(Files.exists(dir.resolve("run/shards")));
    }
}
