package io.sparklm.cli;

import io.sparklm.data.corpus.Corpus;
import io.sparklm.data.corpus.CorpusReader;
import io.sparklm.data.corpus.Document;
import io.sparklm.data.corpus.EmbeddedCorpus;
import io.sparklm.data.corpus.RecordReader;
import io.sparklm.data.corpus.EmbeddedTable;
import io.sparklm.data.shard.RecordShards;
import io.sparklm.data.shard.ShardManifest;
import io.sparklm.data.shard.ShardSpec;
import io.sparklm.data.shard.TokenizeJob;
import io.sparklm.data.shard.TokenizeSettings;
import io.sparklm.data.tokenizer.BpeTrainer;
import io.sparklm.data.tokenizer.ByteBpe;
import io.sparklm.data.tokenizer.CharTokenizer;
import io.sparklm.data.tokenizer.Tokenizer;
import io.sparklm.data.tokenizer.WordPieceTrainer;
import io.sparklm.train.RunFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;

/**
 * {@code sparklm tokenize}: reads a corpus from any Hadoop URI (or the embedded one), trains or
 * loads a tokenizer, and writes Parquet shards with their manifest and {@code tokenizer.json}.
 *
 * <p>{@code tokenizer.kind}: {@code char} (the corpus's distinct characters), {@code bpe}
 * (byte-level BPE, {@link BpeTrainer}) or {@code wordpiece} ({@link WordPieceTrainer}, lower-casing
 * unless {@code tokenizer.lowercase=false}), both trained on Spark to {@code tokenizer.vocabSize};
 * {@code gpt2} (GPT-2's BPE) or {@code file} (a {@code tokenizer.json} at {@code tokenizer.path}).
 */
final class TokenizeCommand implements Main.Command {
    /** The data.input value that stands for the corpus shipped inside the jar. */
    static final String EMBEDDED = "embedded";

    @Override
    public String summary() {
        return "read a corpus, train or load a tokenizer, and write tokenized Parquet shards with a manifest";
    }

    @Override
    public Map<String, String> defaults() {
        return Map.ofEntries(
                Map.entry("data.input", EMBEDDED), Map.entry("data.format", "text"), Map.entry("data.field", "text"),
                Map.entry("data.wholeFile", "false"), Map.entry("data.skipInvalid", "false"),
                Map.entry("data.fields", ""), Map.entry("data.labelField", ""),
                Map.entry("data.output", "runs/quickstart"), Map.entry("data.overwrite", "false"),
                Map.entry("tokenizer.kind", "char"), Map.entry("tokenizer.vocabSize", "2000"), Map.entry("tokenizer.lowercase", "true"),
                Map.entry("tokenizer.path", ""),
                Map.entry("shards.blockSize", "64"), Map.entry("shards.valFraction", "0.1"), Map.entry("shards.seed", "1337"),
                Map.entry("spark.master", "local[*]"));
    }

    @Override
    public void run(Options o) throws Exception {
        SparkSession spark = SparkJobs.session("tokenize", o);
        String output = o.string("data.output");
        String input = o.string("data.input");
        if (input.equals(EMBEDDED)) {
            input = writeEmbeddedCorpus(spark, output);
        }
        EmbeddedTable task = EmbeddedTable.named(input);
        if (task != null || o.isSet("data.fields")) {
            writeRecords(spark, o, task, output);
            return;
        }
        CorpusReader reader = CorpusReader.of(CorpusReader.Format.of(o.string("data.format")))
                .withField(o.string("data.field")).withWholeFile(o.flag("data.wholeFile")).withSkipInvalid(o.flag("data.skipInvalid"));
        Corpus corpus = reader.read(spark, input);
        Tokenizer tokenizer = tokenizer(o, corpus);
        System.out.printf("tokenize: %s tokenizer, vocabulary %d%n", tokenizer.type(), tokenizer.vocabSize());
        ShardSpec shards = new ShardSpec(o.integer("shards.blockSize"), o.number("shards.valFraction"), o.integer("shards.seed"));
        TokenizeJob.Summary summary = TokenizeJob.run(spark, new TokenizeSettings(input, reader, output, shards, o.flag("data.overwrite")), tokenizer);
        System.out.printf("tokenize: wrote %s in %.1fs: train %d blocks, val %d blocks of %d tokens; %d invalid records skipped%n",
                summary.output(), summary.seconds(), summary.manifest().train().blocks(), summary.manifest().val().blocks(),
                shards.blockLength(), summary.manifest().invalidLinesSkipped());
    }

    /**
     * {@code data.fields=a,b} (or an {@link EmbeddedTable} named by data.input): records of those fields from
     * JSONL or Parquet, tokenised into {@link RecordShards}; the tokenizer is fitted on their text fields.
     */
    private static void writeRecords(SparkSession spark, Options o, EmbeddedTable task, String output) throws java.io.IOException {
        String input = task == null ? o.string("data.input") : writeTable(spark, output, task);
        List<String> fields = task == null ? List.of(o.string("data.fields").split(",")) : task.fields();
        String labelName = task != null ? task.labelField() : o.string("data.labelField");
        int labelField = labelName.isEmpty() ? -1 : fields.indexOf(labelName);
        if (!labelName.isEmpty() && labelField < 0) {
            throw new IllegalArgumentException("data.labelField " + labelName + " is not one of data.fields " + fields);
        }
        CorpusReader.Format format = task == null ? CorpusReader.Format.of(o.string("data.format")) : CorpusReader.Format.JSONL;
        RecordReader.Records records = new RecordReader(format, fields, o.flag("data.skipInvalid")).read(spark, input);
        JavaRDD<Document> texts = records.examples().flatMap(e -> {
            List<Document> d = new java.util.ArrayList<>();
            for (int f = 0; f < e.fields().size(); f++) {
                if (f != labelField) {
                    d.add(new Document(e.id() + "#" + f, e.fields().get(f)));
                }
            }
            return d.iterator();
        });
        Tokenizer tokenizer = tokenizer(o, new Corpus(input, texts, records.invalidSkipped()));
        System.out.printf("tokenize: %s tokenizer, vocabulary %d%n", tokenizer.type(), tokenizer.vocabSize());
        ShardSpec spec = new ShardSpec(o.integer("shards.blockSize"), o.number("shards.valFraction"), o.integer("shards.seed"));
        ShardManifest manifest = RecordShards.write(spark, records, fields, labelField, tokenizer, spec, output, o.flag("data.overwrite"));
        System.out.printf("tokenize: wrote %s: train %d records, val %d records of fields %s%s; %d ids cut at shards.blockSize %d%n",
                output, manifest.train().blocks(), manifest.val().blocks(), fields,
                labelField < 0 ? "" : " (" + manifest.records().labels().size() + " labels in " + labelName + ")",
                manifest.train().droppedTokens() + manifest.val().droppedTokens(), spec.blockSize());
    }

    /** Writes an embedded table to {@code output/corpus/NAME.jsonl} and returns its URI. */
    static String writeTable(SparkSession spark, String output, EmbeddedTable task) throws java.io.IOException {
        RunFiles files = RunFiles.forUri(output, spark.sparkContext().hadoopConfiguration());
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(files.qualify(output), "corpus/" + task.inputName() + ".jsonl");
        files.fs().mkdirs(file.getParent());
        files.writeStringAtomically(file, task.jsonLines());
        return file.toString();
    }

    private static Tokenizer tokenizer(Options o, Corpus corpus) throws java.io.IOException {
        String kind = o.string("tokenizer.kind");
        return switch (kind) {
            case "char" -> CharTokenizer.fit(distinctCharacters(corpus));
            case "bpe" -> BpeTrainer.fit(corpus.documents().map(d -> d.text()), o.integer("tokenizer.vocabSize"), List.of(Tokenizer.END_OF_TEXT));
            case "wordpiece" -> WordPieceTrainer.fit(corpus.documents().map(d -> d.text()), o.integer("tokenizer.vocabSize"),
                    o.flag("tokenizer.lowercase"));
            case "gpt2" -> ByteBpe.gpt2();
            case "file" -> {
                if (!o.isSet("tokenizer.path")) {
                    throw new IllegalArgumentException("tokenizer.kind=file needs tokenizer.path, a tokenizer.json");
                }
                yield Tokenizer.load(Path.of(o.string("tokenizer.path")));
            }
            default -> throw new IllegalArgumentException("tokenizer.kind must be char, bpe, wordpiece, gpt2 or file, got '" + kind + "'");
        };
    }

    /**
     * Every distinct character of the corpus, counted on executors, and the newline: line-per-document
     * corpora hold none, but the multi-line text that eval and generate encode does.
     */
    private static String distinctCharacters(Corpus corpus) {
        StringBuilder sb = new StringBuilder("\n");
        corpus.documents().flatMap(d -> d.text().codePoints().boxed().iterator()).distinct().collect()
                .forEach(sb::appendCodePoint);
        return sb.toString();
    }

    /** Writes the embedded English corpus to {@code output/corpus/europarl-en.txt} and returns its URI. */
    private static String writeEmbeddedCorpus(SparkSession spark, String output) throws java.io.IOException {
        RunFiles files = RunFiles.forUri(output, spark.sparkContext().hadoopConfiguration());
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(files.qualify(output), "corpus/europarl-en.txt");
        files.fs().mkdirs(file.getParent());
        files.writeStringAtomically(file, EmbeddedCorpus.englishText());
        return file.toString();
    }
}
