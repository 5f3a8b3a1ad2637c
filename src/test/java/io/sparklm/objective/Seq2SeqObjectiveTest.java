package io.sparklm.objective;

import io.sparklm.data.shard.RecordLayout;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklm.eval.Seq2SeqGenerator;
import io.sparklm.model.EncoderDecoder;
import io.sparklm.model.ModelConfig;
import io.sparklm.model.ModelFamily;
import io.sparklm.model.ModelSpec;
import io.sparklm.optim.AdamW;
import io.sparklm.optim.Schedule;
import io.sparklm.tensor.Rng;
import io.sparklm.train.LocalTrainer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class Seq2SeqObjectiveTest {
    private static final int START = 1;
    private static final int END = 2;

    private static Examples examples(int[][]... pairs) {
        return Examples.of(Arrays.stream(pairs).map(p -> RecordLayout.encode(p[0], p[1])).flatMapToInt(Arrays::stream).toArray());
    }

    @Test
    void teacherForcingFeedsStartThenTheTargetAndPredictsTheTargetThenEnd() {
        Seq2SeqBatch b = (Seq2SeqBatch) new Seq2SeqObjective(8, START, END)
                .evaluationBatches(examples(new int[][] {{5, 6}, {3, 4}}), 1, 1).get(0);
        assertArrayEquals(new int[] {5, 6}, b.source().ids());
        assertArrayEquals(new int[] {START, 3, 4}, b.inputs().ids());
        assertArrayEquals(new int[] {3, 4, END}, b.targets());
    }

    @Test
    void pairsAreRightPaddedToTheLongestWithIdZeroInvalidAndIgnoredTargets() {
        Seq2SeqBatch b = new Seq2SeqObjective(8, START, END).batch(List.of(
                new int[][] {{5, 6, 7}, {3}}, new int[][] {{5}, {3, 4, 5}}));
        assertArrayEquals(new int[] {5, 6, 7, 5, 0, 0}, b.source().ids());
        assertArrayEquals(new boolean[] {true, true, true, true, false, false}, b.source().valid());
        assertArrayEquals(new int[] {START, 3, 0, 0, START, 3, 4, 5}, b.inputs().ids());
        assertArrayEquals(new boolean[] {true, true, false, false, true, true, true, true}, b.inputs().valid());
        assertArrayEquals(new int[] {3, END, -100, -100, 3, 4, 5, END}, b.targets());
        Seq2SeqBatch second = b.slice(1, 2);
        assertArrayEquals(new int[] {5, 0, 0}, second.source().ids());
        assertArrayEquals(new int[] {3, 4, 5, END}, second.targets());
    }

    @Test
    void sourcesDecoderInputsAndTargetsAreTruncatedToTheBlockSize() {
        Seq2SeqBatch b = new Seq2SeqObjective(3, START, END).batch(List.<int[][]>of(new int[][] {{5, 6, 7, 3}, {3, 4, 5, 6}}));
        assertArrayEquals(new int[] {5, 6, 7}, b.source().ids());
        assertArrayEquals(new int[] {START, 3, 4}, b.inputs().ids());
        assertArrayEquals(new int[] {3, 4, 5}, b.targets());
    }

    @Test
    void sampleDrawsUniformlyFromTheDrawsRngAndEvaluationReadsRecordsInOrder() {
        int[][][] pairs = new int[10][][];
        for (int i = 0; i < 10; i++) {
            pairs[i] = new int[][] {{3 + i}, {3 + i, 4}};
        }
        Examples examples = examples(pairs);
        Seq2SeqObjective objective = new Seq2SeqObjective(8, START, END);
        Draw draw = new Draw(7, new long[] {1, 2});
        Seq2SeqBatch sample = objective.sample(examples, 5, draw);
        Rng rng = draw.rng(0);
        for (int b = 0; b < 5; b++) {
            assertEquals(3 + rng.nextInt(10), sample.source().ids()[b]);
        }
        List<Batch> evaluation = objective.evaluationBatches(examples, 4, 6);
        assertEquals(List.of(4, 2), evaluation.stream().map(Batch::size).toList());
        assertArrayEquals(new int[] {7, 8}, ((Seq2SeqBatch) evaluation.get(1)).source().ids());
    }

    /**
     * Target = source over ids 3…7, lengths 1…5: 300 training pairs, 400 AdamW steps of 16 pairs.
     * Measured: mean training loss of the last 50 steps 0.110 nats/token, and 48 of 50 held-out
     * sources (not among the training pairs) copied exactly by greedy decoding; the bounds are
     * 0.25 and 40.
     */
    @Test
    void aTinyModelLearnsToCopyItsSourceAndGreedyDecodingReproducesHeldOutSources() {
        Rng data = new Rng(11);
        Set<String> seen = new HashSet<>();
        int[][][] train = new int[300][][];
        for (int i = 0; i < train.length; i++) {
            int[] s = randomSource(data);
            seen.add(Arrays.toString(s));
            train[i] = new int[][] {s, s};
        }
        EncoderDecoder model = (EncoderDecoder) new ModelSpec(ModelFamily.SEQ2SEQ, ModelConfig.gpt(8, 6, 2, 2, 32)).build(1);
        LocalTrainer trainer = new LocalTrainer(model, new Seq2SeqObjective(6, START, END), new AdamW(0.9, 0.99, 1e-8, 0.0),
                new LocalTrainer.Settings(16, Schedule.constant(3e-3), 1.0, 5));
        Examples examples = examples(train);
        double lastLosses = 0;
        for (int step = 0; step < 400; step++) {
            double loss = trainer.trainStep(examples).loss();
            if (step >= 350) {
                lastLosses += loss / 50;
            }
        }
        Seq2SeqGenerator generator = new Seq2SeqGenerator(model, START, END);
        int copied = 0;
        int heldOut = 0;
        while (heldOut < 50) {
            int[] s = randomSource(data);
            if (seen.add(Arrays.toString(s))) {
                heldOut++;
                if (Arrays.equals(s, generator.generate(s, 6, 0, 0, null))) {
                    copied++;
                }
            }
        }
        assertTrue(lastLosses < 0.25, "mean loss of the last 50 steps " + lastLosses);
        assertTrue(copied >= 40, copied + " of 50 held-out sources copied");
    }

    private static int[] randomSource(Rng rng) {
        int[] s = new int[1 + rng.nextInt(5)];
        for (int i = 0; i < s.length; i++) {
            s[i] = 3 + rng.nextInt(5);
        }
        return s;
    }
}
