package io.sparklm.data.corpus;

import java.io.Serializable;
import java.util.List;

/**
 * One record of a table of examples: its id (its file relative to the input, {@code CorpusFiles#relative}, and row: for errors and the train/val split) and
 * the text of each of its fields, in the order the reader was asked for them.
 */
public record Example(String id, List<String> fields) implements Serializable {
    public Example {
        fields = List.copyOf(fields);
    }
}
