package io.sparklm.data.shard;

import java.io.Serializable;
import java.util.stream.IntStream;

/**
 * Sends a tokenised document to train and validation, cutting it into pieces first when it is
 * long, so that one long document (a book, a whole file, a 10 MB line) spreads over both splits
 * in the {@code valFraction} proportion instead of landing whole in one.
 *
 * <p>A document of {@code n ≤ L} ids ({@code L = }{@link ShardSpec#pieceLength()}) is one piece
 * with the document's id. A longer one is cut into {@code ceil(n / L)} pieces of {@code L} ids,
 * the last shorter; piece k (from 0) has id {@code <document id>#k}. Each piece goes to
 * {@code Split.of(piece id, seed, valFraction)}. A split's ids are its pieces in document order,
 * each run of consecutive pieces followed by the end-of-text id, so that within a split the
 * end-of-text id stands exactly where the text stops being continuous: at the end of a document,
 * and where the document's next piece went to the other split. A document of no ids gives none.
 */
final class DocumentSplitter implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ShardSpec spec;
    private final int endOfText;

    /** A document's ids in each split, as the class comment describes; either may be empty. */
    record SplitDocument(int[] train, int[] val) implements Serializable {
        int[] ids(Split split) {
            return split == Split.TRAIN ? train : val;
        }
    }

    DocumentSplitter(ShardSpec spec, int endOfText) {
        this.spec = spec;
        this.endOfText = endOfText;
    }

    /** The ids of the document {@code id}, {@code ids} (without end-of-text), in each split. */
    SplitDocument split(String id, int[] ids) {
        int pieceLength = spec.pieceLength();
        int pieces = (ids.length + pieceLength - 1) / pieceLength;
        Split[] splitOf = new Split[pieces];
        for (int k = 0; k < pieces; k++) {
            splitOf[k] = Split.of(pieces == 1 ? id : id + "#" + k, spec.seed(), spec.valFraction());
        }
        IntStream.Builder[] out = {IntStream.builder(), IntStream.builder()};
        for (int k = 0; k < pieces; k++) {
            IntStream.Builder split = out[splitOf[k].ordinal()];
            int from = k * pieceLength;
            for (int i = from; i < from + Math.min(pieceLength, ids.length - from); i++) {
                split.add(ids[i]);
            }
            if (k == pieces - 1 || splitOf[k + 1] != splitOf[k]) {
                split.add(endOfText);
            }
        }
        return new SplitDocument(out[0].build().toArray(), out[1].build().toArray());
    }
}
