package io.sparklm.data.shard;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class BlockPackerTest {
    private static List<int[]> pack(int blockLength, int[]... documents) {
        List<int[]> blocks = new ArrayList<>();
        new BlockPacker(List.of(documents).iterator(), blockLength).forEachRemaining(blocks::add);
        return blocks;
    }

    @Test
    void documentsRunAcrossBlocksAndThePartialLastBlockIsDropped() {
        List<int[]> blocks = pack(4, new int[] {1, 2, 3}, new int[] {4, 5, 6, 7, 8, 9}, new int[] {}, new int[] {10, 11});
        assertEquals(2, blocks.size());
        assertArrayEquals(new int[] {1, 2, 3, 4}, blocks.get(0));
        assertArrayEquals(new int[] {5, 6, 7, 8}, blocks.get(1));
    }

    @Test
    void aStreamOfExactlyOneBlockGivesOneBlock() {
        List<int[]> blocks = pack(3, new int[] {1}, new int[] {2, 3});
        assertEquals(1, blocks.size());
        assertArrayEquals(new int[] {1, 2, 3}, blocks.get(0));
    }

    @Test
    void aDocumentLongerThanABlockFillsSeveral() {
        List<int[]> blocks = pack(2, new int[] {1, 2, 3, 4, 5});
        assertEquals(2, blocks.size());
        assertArrayEquals(new int[] {3, 4}, blocks.get(1));
    }

    @Test
    void noDocumentsGiveNoBlocks() {
        assertFalse(new BlockPacker(List.<int[]>of().iterator(), 5).hasNext());
    }
}
