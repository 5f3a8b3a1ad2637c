package io.sparklm.data.shard;

import io.sparklm.data.shard.DocumentSplitter.SplitDocument;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class DocumentSplitterTest {
    private static final int END = 0;
    private static final long SEED = 21;
    /** Blocks of 2 ids, pieces of 4 · 2 = 8 ids. */
    private static final ShardSpec SPEC = new ShardSpec(1, 0.3, SEED);
    private final DocumentSplitter splitter = new DocumentSplitter(SPEC, END);

    /** Ids 1..n. */
    private static int[] ids(int n) {
        return IntStream.rangeClosed(1, n).toArray();
    }

    @Test
    void aDocumentOfAtMostOnePieceGoesWholeToTheSplitOfItsIdFollowedByEndOfText() {
        assertEquals(8, SPEC.pieceLength());
        for (String id : List.of("a.txt:1", "a.txt:2", "a.txt:3", "a.txt:4", "a.txt:5")) {
            SplitDocument document = splitter.split(id, ids(8));
            Split split = Split.of(id, SEED, 0.3);
            assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6, 7, 8, END}, document.ids(split), id);
            assertArrayEquals(new int[0], document.ids(split == Split.TRAIN ? Split.VAL : Split.TRAIN), id);
        }
    }

    @Test
    void aLongerDocumentIsCutIntoPiecesEachRunOfThemEndingWithEndOfText() {
        // 27 ids: pieces #0 = 1..8, #1 = 9..16, #2 = 17..24, #3 = 25..27.
        String id = "b.txt:7";
        Split[] splitOf = IntStream.range(0, 4).mapToObj(k -> Split.of(id + "#" + k, SEED, 0.3)).toArray(Split[]::new);
        SplitDocument document = splitter.split(id, ids(27));
        for (Split split : Split.values()) {
            List<Integer> expected = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                if (splitOf[k] == split) {
                    IntStream.rangeClosed(8 * k + 1, Math.min(27, 8 * k + 8)).forEach(expected::add);
                    if (k == 3 || splitOf[k + 1] != split) {
                        expected.add(END);
                    }
                }
            }
            assertArrayEquals(expected.stream().mapToInt(Integer::intValue).toArray(), document.ids(split), split + " of " + List.of(splitOf));
        }
    }

    @Test
    void consecutivePiecesInOneSplitShareOneEndOfText() {
        // Seed 21 sends the pieces of "b.txt:7" to train, val, train, train.
        SplitDocument document = splitter.split("b.txt:7", ids(27));
        assertArrayEquals(new int[] {1, 2, 3, 4, 5, 6, 7, 8, END, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, END}, document.train());
        assertArrayEquals(new int[] {9, 10, 11, 12, 13, 14, 15, 16, END}, document.val());
    }

    @Test
    void aLongDocumentsPiecesFollowValFraction() {
        SplitDocument document = splitter.split("one line", ids(80_000));
        long val = IntStream.of(document.val()).filter(id -> id != END).count();
        assertEquals(80_000, IntStream.of(document.train()).filter(id -> id != END).count() + val);
        assertEquals(0.3, val / 80_000.0, 0.03, "10,000 pieces, each in validation with probability 0.3");
    }

    @Test
    void aDocumentWithoutIdsGivesNone() {
        SplitDocument document = splitter.split("empty", new int[0]);
        assertArrayEquals(new int[0], document.train());
        assertArrayEquals(new int[0], document.val());
    }
}
