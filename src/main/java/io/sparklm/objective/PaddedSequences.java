package io.sparklm.objective;

import java.util.Arrays;
import java.util.List;

/**
 * B token sequences right-padded to the longest, T: ids (B·T, padding id 0) and the key-valid
 * mask (B·T, false at padding) that the model's attention and pooling read.
 */
public record PaddedSequences(int[] ids, boolean[] valid, int size, int time) {
    /** {@code sequences} right-padded to the longest of them. */
    public static PaddedSequences of(List<int[]> sequences) {
        int time = 1;
        for (int[] s : sequences) {
            time = Math.max(time, s.length);
        }
        int[] ids = new int[sequences.size() * time];
        boolean[] valid = new boolean[ids.length];
        for (int b = 0; b < sequences.size(); b++) {
            int[] s = sequences.get(b);
            System.arraycopy(s, 0, ids, b * time, s.length);
            Arrays.fill(valid, b * time, b * time + s.length, true);
        }
        return new PaddedSequences(ids, valid, sequences.size(), time);
    }

    /** Sequences [from, to), padded as before. */
    public PaddedSequences slice(int from, int to) {
        return new PaddedSequences(Arrays.copyOfRange(ids, from * time, to * time), Arrays.copyOfRange(valid, from * time, to * time),
                to - from, time);
    }
}
