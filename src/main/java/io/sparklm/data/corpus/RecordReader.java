package io.sparklm.data.corpus;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.util.LongAccumulator;

/**
 * Reads tables of examples, one record per JSONL line or Parquet row, keeping the named
 * {@code fields} (JSON keys or columns) as text: what the classifier ({@code text, label}),
 * contrastive ({@code a, b}) and sequence-to-sequence ({@code source, target}) objectives train on.
 * Numbers and booleans read as their text, so a numeric label column works. A record with a field
 * missing, null or empty is an error naming its file and row, or skipped and counted with
 * {@code skipInvalid}.
 *
 * @param format JSONL or PARQUET
 */
public record RecordReader(CorpusReader.Format format, List<String> fields, boolean skipInvalid) implements java.io.Serializable {
    public RecordReader {
        if (format == CorpusReader.Format.TEXT) {
            throw new IllegalArgumentException("records are read from jsonl or parquet, not text: set data.format");
        }
        if (fields.isEmpty() || Set.copyOf(fields).size() != fields.size()) {
            throw new IllegalArgumentException("data.fields must name distinct fields, got " + fields);
        }
        fields = List.copyOf(fields);
    }

    /** The examples at {@code uri} and the count of records skipped, filled as an action reads them. */
    public record Records(String uri, JavaRDD<Example> examples, LongAccumulator invalidSkipped) {
    }

    public Records read(SparkSession spark, String uri) throws IOException {
        List<String> files = CorpusFiles.list(uri, spark.sparkContext().hadoopConfiguration());
        String root = CorpusFiles.root(uri, spark.sparkContext().hadoopConfiguration());
        Dataset<Row> table = format == CorpusReader.Format.PARQUET
                ? spark.read().parquet(files.toArray(String[]::new))
                : spark.read().json(files.toArray(String[]::new));
        List<String> columns = Arrays.asList(table.columns());
        List<Column> selected = new ArrayList<>();
        for (String field : fields) {
            if (!columns.contains(field)) {
                throw new CorpusException("records " + uri + " have no field \"" + field + "\" (they have: " + String.join(", ", columns)
                        + "); set data.fields to the fields to read");
            }
            selected.add(functions.col("`" + field.replace("`", "``") + "`").cast(DataTypes.StringType));
        }
        selected.add(functions.col("_metadata.file_path"));
        selected.add(functions.monotonically_increasing_id());
        LongAccumulator invalidSkipped = spark.sparkContext().longAccumulator("invalid records skipped in " + uri);
        RecordReader reader = this;
        JavaRDD<Example> examples = table.select(selected.toArray(Column[]::new)).javaRDD()
                .flatMap(row -> reader.example(row, root, invalidSkipped).iterator());
        return new Records(uri, examples, invalidSkipped);
    }

    /** The example of a (fields…, file, row id) row, its file named relative to {@code root}: none when a field is missing and skipping is on. */
    private List<Example> example(Row row, String root, LongAccumulator invalidSkipped) throws CorpusException {
        int n = fields.size();
        String id = CorpusFiles.relative(root, row.getString(n)) + ":" + row.getLong(n + 1);
        List<String> values = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            if (row.isNullAt(i) || row.getString(i).isEmpty()) {
                if (!skipInvalid) {
                    throw new CorpusException("record " + id + ": field \"" + fields.get(i) + "\" is "
                            + (row.isNullAt(i) ? "missing or null" : "empty") + "; fix the record, or set data.skipInvalid to skip such records");
                }
                invalidSkipped.add(1);
                return List.of();
            }
            values.add(row.getString(i));
        }
        return List.of(new Example(id, values));
    }
}
