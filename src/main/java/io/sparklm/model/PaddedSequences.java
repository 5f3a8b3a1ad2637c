package io.sparklm.model;

import java.util.Arrays;

/**
 * B sequences of up to T ids, right-padded to T: ids (B·T, row-major (B, T)) with id 0 at padding,
 * and the padding mask valid (B·T), true for real tokens; valid null means every position is real.
 * The encoder–decoder's source and decoder inputs travel as these.
 */
public record PaddedSequences(int[] ids, boolean[] valid, int size, int time) {
    public PaddedSequences {
        if (ids.length != (long) size * time || (valid != null && valid.length != ids.length)) {
            throw new IllegalArgumentException("sequences of " + size + "×" + time + " need that many ids and flags, got "
                    + ids.length + " and " + (valid == null ? "none" : valid.length));
        }
    }

    /** {@code sequences} right-padded with id 0 to T = the longest length (at least 1, so an empty sequence is all padding). */
    public static PaddedSequences rightPadded(int[][] sequences) {
        int time = 1;
        for (int[] s : sequences) {
            time = Math.max(time, s.length);
        }
        int[] ids = new int[sequences.length * time];
        boolean[] valid = new boolean[ids.length];
        for (int b = 0; b < sequences.length; b++) {
            System.arraycopy(sequences[b], 0, ids, b * time, sequences[b].length);
            Arrays.fill(valid, b * time, b * time + sequences[b].length, true);
        }
        return new PaddedSequences(ids, valid, sequences.length, time);
    }

    /** Sequences [from, to), still padded to T. */
    public PaddedSequences slice(int from, int to) {
        return new PaddedSequences(Arrays.copyOfRange(ids, from * time, to * time),
                valid == null ? null : Arrays.copyOfRange(valid, from * time, to * time), to - from, time);
    }
}
