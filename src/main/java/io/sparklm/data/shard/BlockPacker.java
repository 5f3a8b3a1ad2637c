package io.sparklm.data.shard;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Packs a stream of documents' token ids into consecutive blocks of {@code blockLength} ids: the
 * documents' ids concatenated in order, cut wherever a block fills, so a document may run across
 * blocks and a block may hold several documents. The last, partial block is dropped: of a stream
 * of {@code n} ids, {@code n / blockLength} blocks come out and {@code n % blockLength} ids are
 * lost. Lazy: holds one block and one document.
 */
final class BlockPacker implements Iterator<int[]> {
    private final Iterator<int[]> documents;
    private final int blockLength;
    private int[] block;
    private int filled;
    private int[] document = new int[0];
    private int position;
    private int[] next;

    BlockPacker(Iterator<int[]> documents, int blockLength) {
        if (blockLength < 1) {
            throw new IllegalArgumentException("blockLength must be positive, got " + blockLength);
        }
        this.documents = documents;
        this.blockLength = blockLength;
        this.block = new int[blockLength];
    }

    @Override
    public boolean hasNext() {
        while (next == null) {
            if (position == document.length) {
                if (!documents.hasNext()) {
                    return false;
                }
                document = documents.next();
                position = 0;
                continue;
            }
            int n = Math.min(document.length - position, blockLength - filled);
            System.arraycopy(document, position, block, filled, n);
            position += n;
            filled += n;
            if (filled == blockLength) {
                next = block;
                block = new int[blockLength];
                filled = 0;
            }
        }
        return true;
    }

    @Override
    public int[] next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        int[] full = next;
        next = null;
        return full;
    }
}
