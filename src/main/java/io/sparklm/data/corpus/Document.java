package io.sparklm.data.corpus;

import java.io.Serializable;

/**
 * One document of a corpus: its text and an id that names where it came from and stays the same
 * however the corpus is partitioned, so the train/validation split (see {@link Split}) can hang on
 * it. Ids are {@code <file URI>:<line>} for line-per-document text and JSONL (1-based lines),
 * {@code <file URI>} for whole-file text, and {@code <file URI>:<row>} for Parquet (0-based rows).
 * File URIs are fully qualified, so a copy of the corpus at another location splits differently.
 */
public record Document(String id, String text) implements Serializable {
}
