package io.sparklm.data.corpus;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.util.LongAccumulator;

/**
 * A corpus as {@link CorpusReader} reads it: its documents, lazily, and the number of invalid
 * records (lines, files or rows) skipped while reading them.
 *
 * @param uri the corpus as given, for messages
 * @param documents non-empty documents, in file order within each partition
 * @param invalidSkipped counts skipped records as the documents are computed: read it after an
 *     action, and compute the documents once (cache them) for an exact count
 */
public record Corpus(String uri, JavaRDD<Document> documents, LongAccumulator invalidSkipped) {
}
