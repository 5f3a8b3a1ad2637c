package io.sparklm.data.shard;

import io.sparklm.data.corpus.CorpusReader;

/**
 * What {@code sparklm tokenize} does: read the corpus at {@code input} with {@code corpus} (format,
 * field, wholeFile, skipInvalid), and write shards made by {@code shards} (blockSize, valFraction,
 * seed, endOfText) under {@code output}, replacing existing ones only with {@code overwrite}.
 */
public record TokenizeSettings(String input, CorpusReader corpus, String output, ShardSpec shards, boolean overwrite) {
    public TokenizeSettings {
        if (input == null || input.isEmpty() || output == null || output.isEmpty() || corpus == null || shards == null) {
            throw new IllegalArgumentException("tokenize needs an input URI, a corpus reader, an output URI and a shard spec");
        }
    }
}
