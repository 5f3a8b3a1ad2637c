package io.sparklm.objective;

import io.sparklm.data.shard.RecordLayout;
import java.util.Arrays;

/**
 * One worker's training or validation data as its shard holds it: a packed int array that an
 * objective reads either as a token stream (causal and masked LM) or as records of F fields
 * ({@link #record}), each field a run of ids written as its length and then its ids:
 * <pre>
 *   [len₁, ids₁…, len₂, ids₂…, …, len_F, ids_F…]   one record; records follow each other
 * </pre>
 * as {@link RecordLayout} describes and {@link RecordLayout#encode} writes them; a label is a field
 * of one id. The record index is built on first use and kept.
 */
public final class Examples {
    private final int[] data;
    private int[] recordStarts;
    private int recordFields;

    private Examples(int[] data) {
        this.data = data;
    }

    public static Examples of(int[] data) {
        return new Examples(data);
    }

    /** The data as a token stream. */
    public int[] tokens() {
        return data;
    }

    /** The number of records of {@code fields} fields. */
    public int records(int fields) {
        return index(fields).length;
    }

    /**
     * {@code count} record indices drawn uniformly, with replacement, by {@code rng}.
     *
     * @throws IllegalArgumentException when there is no record, naming {@code what} the objective needs
     */
    public int[] drawRecords(int fields, int count, io.sparklm.tensor.Rng rng, String what) {
        int n = records(fields);
        if (n == 0) {
            throw new IllegalArgumentException("this worker holds no " + what + " to draw a batch from");
        }
        int[] chosen = new int[count];
        for (int i = 0; i < count; i++) {
            chosen[i] = rng.nextInt(n);
        }
        return chosen;
    }

    /** The records {@link #drawRecords} draws, their fields. */
    public java.util.List<int[][]> drawn(int fields, int count, io.sparklm.tensor.Rng rng, String what) {
        java.util.List<int[][]> out = new java.util.ArrayList<>();
        for (int i : drawRecords(fields, count, rng, what)) {
            out.add(record(i, fields));
        }
        return out;
    }

    /**
     * The first {@code maxItems} records in order, {@code batchSize} to a batch made by
     * {@code batch}: what evaluation reads.
     */
    public java.util.List<Batch> inOrder(int fields, int batchSize, int maxItems,
                                         java.util.function.Function<java.util.List<int[][]>, ? extends Batch> batch) {
        int n = Math.min(maxItems, records(fields));
        java.util.List<Batch> batches = new java.util.ArrayList<>();
        for (int first = 0; first < n; first += batchSize) {
            java.util.List<int[][]> records = new java.util.ArrayList<>();
            for (int i = first; i < Math.min(n, first + batchSize); i++) {
                records.add(record(i, fields));
            }
            batches.add(batch.apply(records));
        }
        return batches;
    }

    /** Record {@code i}'s fields. */
    public int[][] record(int i, int fields) {
        int at = index(fields)[i];
        int[][] out = new int[fields][];
        for (int f = 0; f < fields; f++) {
            int length = data[at];
            out[f] = Arrays.copyOfRange(data, at + 1, at + 1 + length);
            at += 1 + length;
        }
        return out;
    }

    private int[] index(int fields) {
        if (recordStarts != null && recordFields == fields) {
            return recordStarts;
        }
        int[] starts = new int[16];
        int n = 0;
        int at = 0;
        while (at < data.length) {
            if (n == starts.length) {
                starts = Arrays.copyOf(starts, 2 * n);
            }
            starts[n++] = at;
            for (int f = 0; f < fields; f++) {
                if (at >= data.length || data[at] < 0 || at + 1 + data[at] > data.length) {
                    throw new IllegalArgumentException("record " + (n - 1) + " at offset " + starts[n - 1] + " is cut short: field " + f
                            + " of " + fields + " runs past the end of the " + data.length + " ids; were these shards written as records of "
                            + fields + " fields?");
                }
                at += 1 + data[at];
            }
        }
        recordStarts = Arrays.copyOf(starts, n);
        recordFields = fields;
        return recordStarts;
    }
}
