package io.sparklm.data.shard;

import io.sparklm.LocalSpark;
import io.sparklm.data.corpus.Corpus;
import io.sparklm.data.corpus.CorpusReader;
import io.sparklm.data.corpus.Document;
import io.sparklm.data.corpus.TestCorpus;
import io.sparklm.data.shard.ShardManifest.SplitCounts;
import io.sparklm.data.tokenizer.ByteBpe;
import io.sparklm.data.tokenizer.CharTokenizer;
import io.sparklm.data.tokenizer.Tokenizer;
import io.sparklm.data.tokenizer.WordPiece;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.sparklm.data.corpus.TestCorpus.failure;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardsTest {
    private static final int BLOCK_SIZE = 15;
    private static final long SEED = 42;
    private static final double VAL_FRACTION = 0.2;

    private final SparkSession spark = LocalSpark.get();
    private final CharTokenizer tokenizer = TestCorpus.tokenizer();
    private final ShardSpec spec = new ShardSpec(BLOCK_SIZE, VAL_FRACTION, SEED);

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
        int endOfText = tokenizer.endOfText().getAsInt();
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
        assertEquals(new ShardManifest(tokenizer.hash(), "char", tokenizer.vocabSize(), tokenizer.endOfText(), spec, corpus.uri(), manifest.train(),
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

    /** The blocks of each element of {@code packed}, one list per partition. */
    private static List<List<int[]>> blocksOf(List<int[]> packed) {
        return packed.stream().map(ids -> {
            assertEquals(0, ids.length % (BLOCK_SIZE + 1));
            List<int[]> blocks = new ArrayList<>();
            for (int at = 0; at < ids.length; at += BLOCK_SIZE + 1) {
                blocks.add(Arrays.copyOfRange(ids, at, at + BLOCK_SIZE + 1));
            }
            return blocks;
        }).toList();
    }

    private static List<String> sorted(List<int[]> blocks) {
        return blocks.stream().map(Arrays::toString).sorted().toList();
    }

    @Test
    void openDealsEveryBlockToExactlyOnePartitionInNearEqualShares() throws IOException {
        Shards.write(spark, partitioned(3), tokenizer, spec, out("run"), false);
        Shards shards = Shards.open(spark, out("run"), TestCorpus.tokenizer(), BLOCK_SIZE);
        JavaRDD<int[]> train = shards.train(4);
        assertEquals(4, train.getNumPartitions());
        List<List<int[]>> dealt = blocksOf(train.collect());
        assertEquals(4, dealt.size());
        long blocks = shards.manifest().train().blocks();
        for (List<int[]> partition : dealt) {
            assertTrue(partition.size() == blocks / 4 || partition.size() == blocks / 4 + 1, partition.size() + " of " + blocks);
        }
        assertEquals(sorted(blocks(out("run"), Split.TRAIN)), sorted(dealt.stream().flatMap(List::stream).toList()));
        List<int[]> val = shards.val(2).collect();
        assertEquals(2, val.size());
        assertEquals(shards.manifest().val().tokens(), val.stream().mapToInt(p -> p.length).sum());
    }

    @Test
    void theDealDependsOnTheBlocksAndSeedOnlyNotOnTheParquetFiles() throws IOException {
        Shards.write(spark, partitioned(3), tokenizer, spec, out("run"), false);
        List<int[]> dealt = Shards.open(spark, out("run"), tokenizer, BLOCK_SIZE).train(3).collect();
        assertEquals(Arrays.deepToString(dealt.toArray()),
                Arrays.deepToString(Shards.open(spark, out("run"), tokenizer, BLOCK_SIZE).train(3).collect().toArray()), "again");
        for (String name : List.of("shards/val", "shards/manifest.json", "tokenizer.json")) {
            Files.createDirectories(dir.resolve("relaid").resolve(name).getParent());
            Files.walk(dir.resolve("run").resolve(name)).forEach(from -> copy(from, dir.resolve("relaid").resolve(
                    dir.resolve("run").relativize(from))));
        }
        spark.read().parquet(out("run") + "/shards/train").orderBy(org.apache.spark.sql.functions.rand(7)).repartition(5)
                .write().parquet(out("relaid") + "/shards/train");
        assertEquals(Arrays.deepToString(dealt.toArray()),
                Arrays.deepToString(Shards.open(spark, out("relaid"), tokenizer, BLOCK_SIZE).train(3).collect().toArray()),
                "the same blocks in five files, shuffled");
    }

    private static void copy(Path from, Path to) {
        try {
            if (Files.isDirectory(from)) {
                Files.createDirectories(to);
            } else {
                Files.copy(from, to);
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void eachWorkerSamplesEveryFileOfATopicSortedCorpus() throws IOException {
        Path topics = Files.createDirectories(dir.resolve("topics"));
        List<String> a = IntStream.range(0, 120).mapToObj(i -> "a".repeat(3 + i % 9)).toList();
        TestCorpus.writeLines(topics.resolve("a.txt"), a);
        TestCorpus.writeLines(topics.resolve("b.txt"), a.stream().map(text -> text.replace('a', 'b')).toList());
        Corpus sorted = CorpusReader.of(CorpusReader.Format.TEXT).read(spark, topics.toString());
        Shards.write(spark, sorted, tokenizer, new ShardSpec(BLOCK_SIZE, 0, SEED), out("run"), false);
        int idOfA = tokenizer.encode("a")[0];
        int idOfB = tokenizer.encode("b")[0];
        for (List<int[]> worker : blocksOf(Shards.open(spark, out("run"), tokenizer, BLOCK_SIZE).train(3).collect())) {
            long withA = worker.stream().filter(block -> Arrays.stream(block).anyMatch(id -> id == idOfA)).count();
            long withB = worker.stream().filter(block -> Arrays.stream(block).anyMatch(id -> id == idOfB)).count();
            assertTrue(withA >= worker.size() / 4 && withB >= worker.size() / 4,
                    worker.size() + " blocks: " + withA + " with 'a', " + withB + " with 'b'");
        }
    }

    @Test
    void everyTokenizerPutsItsEndOfTextExactlyBetweenDocuments() throws IOException {
        List<String> words = List.of("[UNK]", "[SEP]", "the", "quick", "brown", "fox", "jumps", "over", "a", "lazy", "dog", "é");
        List<String> digits = IntStream.range(0, 10).mapToObj(Integer::toString).toList();
        List<String> vocab = Stream.of(words, digits, digits.stream().map(d -> "##" + d).toList()).flatMap(List::stream).toList();
        List<Tokenizer> tokenizers = List.of(tokenizer, new WordPiece(vocab, true), ByteBpe.gpt2());
        List<Document> documents = corpus.documents().collect();
        for (Tokenizer each : tokenizers) {
            String out = out(each.type());
            Shards.write(spark, partitioned(1), each, spec, out, false);
            int endOfText = each.endOfText().getAsInt();
            for (Split split : Split.values()) {
                List<int[]> expected = documents.stream().filter(d -> Split.of(d.id(), SEED, VAL_FRACTION) == split)
                        .map(d -> each.encode(d.text())).toList();
                int[] stream = concatenate(blocks(out, split));
                List<int[]> between = new ArrayList<>();
                for (int start = 0, end; (end = indexOf(stream, endOfText, start)) >= 0; start = end + 1) {
                    between.add(Arrays.copyOfRange(stream, start, end));
                }
                assertTrue(between.size() > 10, each.type() + " " + split + ": " + between.size() + " separators");
                assertEquals(Arrays.deepToString(expected.subList(0, between.size()).toArray()), Arrays.deepToString(between.toArray()),
                        each.type() + " " + split + ": the ids between separators are the documents, in order");
            }
        }
    }

    private static int indexOf(int[] ids, int id, int from) {
        for (int i = from; i < ids.length; i++) {
            if (ids[i] == id) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void oneVeryLongLineGivesTrainAndValidationBlocksInTheValFractionProportion() throws IOException {
        Path line = Files.writeString(dir.resolve("line.txt"), String.join(" ", TestCorpus.documents(10_000)) + "\n");
        Corpus oneLine = CorpusReader.of(CorpusReader.Format.TEXT).read(spark, line.toString());
        ShardManifest manifest = Shards.write(spark, oneLine, tokenizer, spec, out("run"), false);
        assertEquals(1, manifest.train().documents());
        assertEquals(1, manifest.val().documents());
        double valShare = manifest.val().blocks() / (double) (manifest.train().blocks() + manifest.val().blocks());
        assertTrue(manifest.train().blocks() + manifest.val().blocks() > 20_000, manifest.toString());
        assertEquals(VAL_FRACTION, valShare, 0.03, "share of validation blocks");
        assertEquals(2, Shards.open(spark, out("run"), tokenizer, BLOCK_SIZE).train(2).count());
    }

    @Test
    void validationPartitionsMayBeEmptyButTrainPartitionsMayNot() throws IOException {
        ShardSpec noVal = new ShardSpec(BLOCK_SIZE, 0, SEED);
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
        ShardSpec longer = new ShardSpec(2 * BLOCK_SIZE, VAL_FRACTION, SEED);
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
    void aTokenizerWithoutAnEndOfTextIdIsRejectedNamingWhatItNeeds() throws IOException {
        Tokenizer older = Tokenizer.fromJson(new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree("{\"type\": \"char\", \"vocab\": [\"a\", \"b\"]}"), "tokenizer.json");
        assertEquals("the char tokenizer " + older.hash() + " has no end-of-text id to put between documents: a char tokenizer "
                        + "needs \"special\": {\"<|endoftext|>\": <its number of characters>}; add it to its tokenizer.json, or fit a new tokenizer",
                assertThrows(IllegalArgumentException.class, () -> Shards.write(spark, corpus, older, spec, out("run"), false)).getMessage());
        WordPiece noSeparator = new WordPiece(List.of("[UNK]", "the"), true);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Shards.write(spark, corpus, noSeparator, spec, out("run"), false))
                .getMessage().contains("a wordpiece tokenizer needs \"[SEP]\" in its \"vocab\""));
    }

    @Test
    void textTheTokenizerCannotEncodeIsAnErrorNamingTheDocument() {
        CharTokenizer narrow = CharTokenizer.fit("0123456789 thequick\n");
        assertEquals("corpus document corpus.txt:2: 'b' (U+0062) at position 8 is not in the "
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
        ShardSpec allTrain = new ShardSpec(BLOCK_SIZE, 0, SEED);
        // "0 the" is 5 characters, and its end-of-text id makes 6.
        assertEquals("corpus " + tiny + " gives no train block: its 6 train ids make no block of blockSize + 1 = 16 ids in its one "
                + "partition; use a smaller blockSize or more text", failure(() -> Shards.write(spark, small, tokenizer, allTrain, out("run"), false)));
        assertFalse(Files.exists(dir.resolve("run/shards")));
    }

    @Test
    void aCorpusAllInValidationNamesValFraction() {
        Document only = new Document("only", "0 the quick brown fox jumps over the lazy dog");
        double valFraction = (1 + Split.uniform(only.id(), SEED)) / 2;
        Corpus one = new Corpus("memory", JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(List.of(only), 1),
                spark.sparkContext().longAccumulator());
        assertEquals("corpus memory gives no train block: its 0 train ids (and 46 val ids, valFraction " + valFraction + ") make no "
                        + "block of blockSize + 1 = 16 ids in its one partition; use a smaller blockSize, a smaller valFraction or more text",
                failure(() -> Shards.write(spark, one, tokenizer, new ShardSpec(BLOCK_SIZE, valFraction, SEED), out("run"), false)));
    }
}
