package io.sparklm.data.shard;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sparklm.data.corpus.CorpusException;
import io.sparklm.data.corpus.Example;
import io.sparklm.data.corpus.RecordReader;
import io.sparklm.data.shard.ShardManifest.SplitCounts;
import io.sparklm.data.tokenizer.Tokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Tokenised records in Parquet: what {@code sparklm tokenize data.fields=…} writes for the
 * objectives that train on pairs or labelled texts. The layout under {@code OUT} is that of
 * {@link Shards} (the same manifest, tokenizer.json and {@code ids} column), except that each row
 * is one record ({@link RecordLayout}): every text field tokenised and cut to {@code blockSize}
 * ids (the ids cut off are counted as {@code droppedTokens}), a label field as the index of its
 * text among the sorted distinct labels. A record goes to train or val by a hash of its id, as a
 * document does ({@link Split}); {@code blocks} in the counts are records.
 */
public final class RecordShards {
    private RecordShards() {
    }

    /**
     * Tokenises {@code records} and writes their shards, manifest and tokenizer under {@code output}.
     *
     * @param fields     the records' field names, in order
     * @param labelField the field that is a class label, or −1
     * @throws CorpusException naming the input when it holds no train record, or the output when it exists
     */
    public static ShardManifest write(SparkSession spark, RecordReader.Records records, List<String> fields, int labelField,
                                      Tokenizer tokenizer, ShardSpec spec, String output, boolean overwrite) throws IOException {
        Path out = new Path(output);
        FileSystem fs = out.getFileSystem(spark.sparkContext().hadoopConfiguration());
        Shards.checkOutput(fs, out, tokenizer, overwrite);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        List<String> labels = labelField < 0 ? List.of()
                : records.examples().map(e -> e.fields().get(labelField)).distinct().collect().stream().sorted().toList();
        RecordLayout layout = new RecordLayout(fields, labelField, labels);
        Broadcast<String> tokenizerJson = jsc.broadcast(tokenizer.toJson().toString());
        int maxIds = spec.blockSize();
        JavaRDD<Encoded> encoded = records.examples().mapPartitions(partition -> {
            Tokenizer t = Tokenizer.fromJson(new JsonMapper().readTree(tokenizerJson.value()), "the broadcast tokenizer");
            List<Encoded> rows = new ArrayList<>();
            partition.forEachRemaining(e -> rows.add(encode(t, e, layout, maxIds, Split.of(e.id(), spec.seed(), spec.valFraction()))));
            return rows.iterator();
        }).persist(StorageLevel.MEMORY_AND_DISK_SER());
        try (StagedDirectory staged = new StagedDirectory(fs, out)) {
            SplitCounts[] counts = new SplitCounts[2];
            for (Split split : Split.values()) {
                JavaRDD<Encoded> rows = encoded.filter(r -> r.split() == split);
                counts[split.ordinal()] = rows.map(r -> new SplitCounts(1, 1, r.row().length, r.dropped()))
                        .fold(SplitCounts.NONE, SplitCounts::plus);
                spark.createDataFrame(rows.map(r -> RowFactory.create((Object) r.row())), Shards.SCHEMA).write()
                        .parquet(staged.path(Shards.DIRECTORY + "/" + split.dirName()).toString());
            }
            if (counts[Split.TRAIN.ordinal()].blocks() == 0) {
                throw new CorpusException("records " + records.uri() + " give no train record (" + counts[Split.VAL.ordinal()].blocks()
                        + " went to validation" + (records.invalidSkipped().value() > 0 ? ", " + records.invalidSkipped().value()
                        + " invalid records skipped" : "") + "); give it more records or a smaller valFraction");
            }
            ShardManifest manifest = new ShardManifest(tokenizer.hash(), tokenizer.type(), tokenizer.vocabSize(),
                    tokenizer.endOfText(), spec, records.uri(), counts[Split.TRAIN.ordinal()], counts[Split.VAL.ordinal()],
                    records.invalidSkipped().value(), ShardManifest.CREATED_BY, layout);
            JsonFiles.write(fs, staged.path(Shards.DIRECTORY + "/" + Shards.MANIFEST), manifest.toJson());
            JsonFiles.write(fs, staged.path(Shards.TOKENIZER), tokenizer.toJson());
            Shards.checkOutput(fs, out, tokenizer, overwrite);
            staged.publish(Shards.DIRECTORY);
            staged.publish(Shards.TOKENIZER);
            return manifest;
        } catch (Exception e) {
            throw CorpusException.thrownBy(e);
        } finally {
            encoded.unpersist(false);
            tokenizerJson.destroy();
        }
    }

    /** A record's row, its split and the ids cut off its fields. */
    private record Encoded(Split split, int[] row, long dropped) implements java.io.Serializable {
    }

    /** One record's row: each text field's ids cut to {@code maxIds}, the label field as its label's index. */
    private static Encoded encode(Tokenizer tokenizer, Example example, RecordLayout layout, int maxIds, Split split) {
        int[][] fields = new int[layout.fields().size()][];
        long dropped = 0;
        for (int f = 0; f < fields.length; f++) {
            String text = example.fields().get(f);
            if (f == layout.labelField()) {
                fields[f] = new int[] {layout.labels().indexOf(text)};
            } else {
                try {
                    int[] ids = tokenizer.encode(text);
                    dropped += Math.max(0, ids.length - maxIds);
                    fields[f] = ids.length > maxIds ? Arrays.copyOf(ids, maxIds) : ids;
                } catch (IllegalArgumentException e) {
                    throw new UncheckedIOException(new CorpusException("record " + example.id() + " field \"" + layout.fields().get(f)
                            + "\": " + e.getMessage()));
                }
                if (fields[f].length == 0) {
                    throw new UncheckedIOException(new CorpusException("record " + example.id() + " field \"" + layout.fields().get(f)
                            + "\" encodes to no token; fix the record or set data.skipInvalid"));
                }
            }
        }
        return new Encoded(split, RecordLayout.encode(fields), dropped);
    }
}
