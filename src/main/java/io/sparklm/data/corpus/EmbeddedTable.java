package io.sparklm.data.corpus;

import java.util.List;

/**
 * A table of examples made from data shipped in a Maven artifact, named by {@code data.input=} as
 * {@code data.input=embedded} names the Europarl text: {@link WordNetTasks} and {@link EuroparlPrompts}.
 */
public interface EmbeddedTable {
    /** The {@code data.input} value that names it. */
    String inputName();

    /** Its fields, in order. */
    List<String> fields();

    /** The field that is a class label, or "" for none. */
    String labelField();

    /** The table as JSONL, one record a line. */
    String jsonLines();

    /** The table {@code data.input=name} names, or null. */
    static EmbeddedTable named(String name) {
        for (EmbeddedTable table : List.<EmbeddedTable>of(WordNetTasks.values())) {
            if (table.inputName().equals(name)) {
                return table;
            }
        }
        return name.equals(EuroparlPrompts.INSTANCE.inputName()) ? EuroparlPrompts.INSTANCE : null;
    }
}
