package io.sparklm.data.corpus;

import java.io.IOException;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.SerializableConfiguration;

/**
 * Reads a corpus from any Hadoop FileSystem URI ({@code file://}, {@code hdfs://}, {@code s3a://};
 * a plain path is on the default FileSystem): a file, a directory or a glob (see
 * {@link CorpusFiles}), as a Spark RDD of {@link Document}s.
 *
 * <p>Formats:
 * <ul>
 *   <li>{@code text}: UTF-8, one document per line ({@code '\n'} or {@code "\r\n"}), or one per
 *       file with {@code wholeFile}. Ids {@code <file>:<line>} (1-based), or {@code <file>}.
 *   <li>{@code jsonl}: UTF-8, one JSON object per line; the document is its string field
 *       {@code field} (default {@code "text"}). Ids {@code <file>:<line>}.
 *   <li>{@code parquet}: the string column {@code field}, one document per row. Ids
 *       {@code <file>:<row>} (0-based within the file).
 * </ul>
 * Text and JSONL bytes are decoded by us, strictly ({@link FileDocuments}): Spark's text source
 * would silently replace invalid UTF-8. Each file is read by one task, files in path order, so a
 * large corpus should come as many files. Empty documents are dropped. Invalid records (bytes that
 * are not UTF-8, lines that are not JSON objects with the string field, null Parquet values) are
 * errors naming the file and line or row, unless {@code skipInvalid}: then they are dropped and
 * counted in {@link Corpus#invalidSkipped()}.
 *
 * @param field the JSONL field or Parquet column holding the text; unused for text
 * @param wholeFile text only: each file is one document
 */
public record CorpusReader(Format format, String field, boolean wholeFile, boolean skipInvalid) implements Serializable {
    public static final String DEFAULT_FIELD = "text";

    /** How documents are stored in the corpus files. */
    public enum Format {
        TEXT, JSONL, PARQUET;

        /** The format named {@code text}, {@code jsonl} or {@code parquet}. */
        public static Format of(String name) {
            for (Format format : values()) {
                if (format.toString().equals(name)) {
                    return format;
                }
            }
            throw new IllegalArgumentException("unknown corpus format \"" + name + "\"; use one of " + Arrays.toString(values()));
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public CorpusReader {
        if (format == null || field == null || field.isEmpty()) {
            throw new IllegalArgumentException("a corpus reader needs a format and a non-empty field name");
        }
        if (wholeFile && format != Format.TEXT) {
            throw new IllegalArgumentException("wholeFile applies to the text format only, not " + format);
        }
    }

    /** A reader of {@code format}: field {@value #DEFAULT_FIELD}, one document per line, strict. */
    public static CorpusReader of(Format format) {
        return new CorpusReader(format, DEFAULT_FIELD, false, false);
    }

    public CorpusReader withField(String field) {
        return new CorpusReader(format, field, wholeFile, skipInvalid);
    }

    public CorpusReader withWholeFile(boolean wholeFile) {
        return new CorpusReader(format, field, wholeFile, skipInvalid);
    }

    public CorpusReader withSkipInvalid(boolean skipInvalid) {
        return new CorpusReader(format, field, wholeFile, skipInvalid);
    }

    /**
     * The documents at {@code uri}, lazily: files are listed now, read when an action runs.
     *
     * @throws CorpusException when {@code uri} does not exist or holds no files, or a Parquet
     *     corpus has no string column {@code field}; errors in the files' content come from the
     *     action that reads them
     */
    public Corpus read(SparkSession spark, String uri) throws IOException {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        List<String> files = CorpusFiles.list(uri, conf);
        String root = CorpusFiles.root(uri, conf);
        LongAccumulator invalidSkipped = spark.sparkContext().longAccumulator("invalid records skipped in " + uri);
        JavaRDD<Document> documents = format == Format.PARQUET
                ? parquetDocuments(spark, uri, root, files, invalidSkipped)
                : lineDocuments(JavaSparkContext.fromSparkContext(spark.sparkContext()), conf, root, files, invalidSkipped);
        return new Corpus(uri, documents, invalidSkipped);
    }

    private JavaRDD<Document> lineDocuments(JavaSparkContext jsc, Configuration conf, String root, List<String> files,
                                            LongAccumulator invalidSkipped) {
        Broadcast<SerializableConfiguration> sharedConf = jsc.broadcast(new SerializableConfiguration(conf));
        return jsc.parallelize(files, Math.min(files.size(), jsc.defaultParallelism()))
                .flatMap(file -> new FileDocuments(file, CorpusFiles.relative(root, file), sharedConf.value().value(), this,
                        invalidSkipped));
    }

    private JavaRDD<Document> parquetDocuments(SparkSession spark, String uri, String root, List<String> files,
                                               LongAccumulator invalidSkipped) throws CorpusException {
        Dataset<Row> table = spark.read().parquet(files.toArray(String[]::new));
        StructField column = Arrays.stream(table.schema().fields()).filter(f -> f.name().equals(field)).findFirst()
                .orElseThrow(() -> new CorpusException("corpus " + uri + " has no column \"" + field + "\" (its columns: "
                        + String.join(", ", table.columns()) + "); set field to the column holding the text"));
        if (!column.dataType().equals(DataTypes.StringType)) {
            throw new CorpusException("corpus " + uri + " column \"" + field + "\" is " + column.dataType().simpleString()
                    + ", not string; set field to a string column");
        }
        return table.select(functions.col("`" + field.replace("`", "``") + "`"),
                        functions.col("_metadata.file_path"), functions.col("_metadata.row_index"))
                .javaRDD()
                .flatMap(row -> parquetDocument(row, root, invalidSkipped).iterator());
    }

    /** The document of a (text, file, row index) row: none if the text is empty, or null and skipped. */
    private List<Document> parquetDocument(Row row, String root, LongAccumulator invalidSkipped) throws CorpusException {
        String file = row.getString(1);
        long index = row.getLong(2);
        if (!row.isNullAt(0)) {
            String text = row.getString(0);
            return text.isEmpty() ? List.of() : List.of(new Document(CorpusFiles.relative(root, file) + ":" + index, text));
        }
        if (!skipInvalid) {
            throw new CorpusException("corpus " + file + " row " + index + ": column \"" + field
                    + "\" is null; drop such rows, or set skipInvalid to skip them");
        }
        invalidSkipped.add(1);
        return List.of();
    }
}
