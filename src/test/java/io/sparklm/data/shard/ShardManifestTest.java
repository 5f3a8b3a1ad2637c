package io.sparklm.data.shard;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparklm.data.corpus.CorpusException;
import io.sparklm.data.shard.ShardManifest.SplitCounts;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ShardManifestTest {
    private static final ShardManifest MANIFEST = new ShardManifest("ab12", "char", 65, OptionalInt.of(64),
            new ShardSpec(64, 0.1, 1337), "hdfs://nn/corpus",
            new SplitCounts(900, 120, 120 * 65, 17), new SplitCounts(100, 13, 13 * 65, 40), 2, ShardManifest.CREATED_BY);

    @Test
    void jsonRoundTrips() throws CorpusException {
        assertEquals(MANIFEST, ShardManifest.fromJson(MANIFEST.toJson(), "m.json"));
        ShardManifest noEnd = new ShardManifest("ab12", "char", 65, OptionalInt.empty(), new ShardSpec(8, 0, 1), "x",
                SplitCounts.NONE, SplitCounts.NONE, 0, "me");
        assertEquals(noEnd, ShardManifest.fromJson(noEnd.toJson(), "m.json"));
        assertTrue(noEnd.toJson().get("endOfText").isNull(), "as manifests without an end-of-text id were written");
    }

    @Test
    void aNegativeEndOfTextIsInvalid() {
        ObjectNode json = MANIFEST.toJson().put("endOfText", -1);
        assertEquals("m.json: field \"endOfText\" is invalid: -1; is it a shards/manifest.json? re-run tokenize",
                assertThrows(CorpusException.class, () -> ShardManifest.fromJson(json, "m.json")).getMessage());
    }

    @Test
    void countsArePerSplitInTheJson() {
        assertEquals(120, MANIFEST.toJson().get("counts").get("train").get("blocks").intValue());
        assertEquals(40, MANIFEST.toJson().get("counts").get("val").get("droppedTokens").intValue());
    }

    @Test
    void aMissingFieldIsNamed() {
        ObjectNode json = MANIFEST.toJson();
        json.remove("blockSize");
        String message = assertThrows(CorpusException.class, () -> ShardManifest.fromJson(json, "hdfs://nn/out/shards/manifest.json"))
                .getMessage();
        assertEquals("hdfs://nn/out/shards/manifest.json: field \"blockSize\" is missing; is it a shards/manifest.json? "
                + "re-run tokenize", message);
    }

    @Test
    void eachPartitionsIdsMakeBlocksAndADroppedTailThatIsNotPooled() {
        assertEquals(new SplitCounts(3, 2, 10, 4), SplitCounts.packed(3, 14, 5));
        // 14 + 1 ids would make 3 blocks in one partition, but make 2 in two.
        assertEquals(new SplitCounts(5, 2, 10, 5), SplitCounts.packed(3, 14, 5).plus(SplitCounts.packed(2, 1, 5)));
    }
}
