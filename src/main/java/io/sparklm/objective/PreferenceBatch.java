package io.sparklm.objective;

import io.sparklm.model.PaddedSequences;

/** B preference pairs: prompt · chosen and prompt · rejected, each side right-padded. */
public record PreferenceBatch(PaddedSequences chosen, PaddedSequences rejected) implements Batch {
    @Override
    public int size() {
        return chosen.size();
    }

    @Override
    public long positions() {
        return chosen.ids().length + rejected.ids().length;
    }

    @Override
    public PreferenceBatch slice(int from, int to) {
        return new PreferenceBatch(chosen.slice(from, to), rejected.slice(from, to));
    }

    /**
     * The pairs of (prompt, chosen, rejected) records, each sequence prompt · response cut to its
     * last {@code blockSize} tokens (the response is kept, the prompt's start is dropped).
     */
    static PreferenceBatch of(java.util.List<int[][]> records, int blockSize) {
        int[][] chosen = new int[records.size()][];
        int[][] rejected = new int[records.size()][];
        for (int b = 0; b < records.size(); b++) {
            chosen[b] = joined(records.get(b)[0], records.get(b)[1], blockSize);
            rejected[b] = joined(records.get(b)[0], records.get(b)[2], blockSize);
        }
        return new PreferenceBatch(PaddedSequences.rightPadded(chosen), PaddedSequences.rightPadded(rejected));
    }

    /** prompt · response, its last {@code blockSize} tokens: the sequence a reward model reads as r(x, y). */
    public static int[] joined(int[] prompt, int[] response, int blockSize) {
        int[] all = new int[prompt.length + response.length];
        System.arraycopy(prompt, 0, all, 0, prompt.length);
        System.arraycopy(response, 0, all, prompt.length, response.length);
        return java.util.Arrays.copyOfRange(all, Math.max(0, all.length - blockSize), all.length);
    }
}
