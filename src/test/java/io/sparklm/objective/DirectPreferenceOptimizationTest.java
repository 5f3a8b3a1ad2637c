package io.sparklm.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklm.data.shard.RecordLayout;
import io.sparklm.model.Gpt;
import io.sparklm.model.ModelConfig;
import io.sparklm.nn.Cache;
import io.sparklm.nn.Parameter;
import java.util.List;
import org.junit.jupiter.api.Test;

class DirectPreferenceOptimizationTest {
    private static final int END = 2;
    private static final ModelConfig TINY = ModelConfig.gpt(12, 8, 1, 2, 8);
    private static final int[][] PROMPTS = {{5, 6, 7}, {8}};
    private static final int[][] CHOSEN = {{8, 9}, {9, 10, 11}};
    private static final int[][] REJECTED = {{5}, {8, 8}};

    private static List<int[][]> records(float[] referenceChosen, float[] referenceRejected) {
        int[] packed = java.util.stream.IntStream.range(0, 2)
                .mapToObj(i -> DirectPreferenceOptimization.record(PROMPTS[i], CHOSEN[i], REJECTED[i], referenceChosen[i], referenceRejected[i]))
                .flatMapToInt(java.util.Arrays::stream).toArray();
        Examples examples = Examples.of(packed);
        return List.of(examples.record(0, 5), examples.record(1, 5));
    }

    private static double softplus(double x) {
        return Math.log1p(Math.exp(x));
    }

    /** L = (1/2) Σ softplus(−β[(log π(y_c) − ref_c) − (log π(y_r) − ref_r)]), the sums read off Gpt.forward's logits. */
    @Test
    void theLossIsMinusLogSigmoidOfTheBetaScaledLogRatioMarginOverResponseTokens() {
        Gpt gpt = new Gpt(TINY, 3);
        double beta = 0.5;
        DirectPreferenceOptimization dpo = new DirectPreferenceOptimization(8, END, beta);
        float[] refChosen = {-7.5f, -9.25f};
        float[] refRejected = {-4.0f, -6.5f};
        DpoBatch batch = dpo.batch(records(refChosen, refRejected));
        double expected = 0;
        for (int i = 0; i < 2; i++) {
            double margin = (ResponseLogProbs.of(gpt, PROMPTS[i], CHOSEN[i], END) - refChosen[i])
                    - (ResponseLogProbs.of(gpt, PROMPTS[i], REJECTED[i], END) - refRejected[i]);
            expected += softplus(-beta * margin);
        }
        assertEquals(2.0, dpo.weight(gpt, batch), "weighted by pairs");
        assertEquals(expected / 2, dpo.loss(gpt, batch).mean(), 1e-5);
        gpt.parameters().zeroGrad();
        assertEquals(expected, dpo.lossAndGradient(gpt, batch, 2.0, Cache.inference()), 1e-5);
    }

    /** Policy = reference: every margin is 0, so L = ln 2 per pair, and one SGD step opens a positive mean margin. */
    @Test
    void atThePolicyEqualToTheReferenceTheLossIsLn2AndOneStepPushesChosenUp() {
        Gpt gpt = new Gpt(TINY, 4);
        DirectPreferenceOptimization dpo = new DirectPreferenceOptimization(8, END, 0.1);
        List<int[][]> preferences = List.of(new int[][] {PROMPTS[0], CHOSEN[0], REJECTED[0]}, new int[][] {PROMPTS[1], CHOSEN[1], REJECTED[1]});
        double[][] reference = dpo.logProbs(gpt, preferences);
        int[] packed = java.util.stream.IntStream.range(0, 2)
                .mapToObj(i -> DirectPreferenceOptimization.record(PROMPTS[i], CHOSEN[i], REJECTED[i], (float) reference[0][i],
                        (float) reference[1][i]))
                .flatMapToInt(java.util.Arrays::stream).toArray();
        Examples examples = Examples.of(packed);
        DpoBatch batch = dpo.batch(List.of(examples.record(0, 5), examples.record(1, 5)));
        gpt.parameters().zeroGrad();
        double sum = dpo.lossAndGradient(gpt, batch, 2.0, Cache.inference());
        assertEquals(2 * Math.log(2), sum, 1e-5);
        assertEquals(0.0, dpo.score(gpt, examples, 2, 2).figures().get("implicit_reward_margin"), 1e-5);
        for (Parameter p : gpt.parameters().all()) {
            for (int i = 0; i < p.size(); i++) {
                p.value().data[i] -= 0.5f * p.grad().data[i];
            }
        }
        double margin = dpo.score(gpt, examples, 2, 2).figures().get("implicit_reward_margin");
        assertTrue(margin > 1e-3, "the step raises log π(chosen) − log π(rejected): mean margin " + margin);
        assertTrue(dpo.loss(gpt, batch).mean() < Math.log(2));
    }

    @Test
    void accuracyIsTheShareOfPairsWithAPositiveMarginAndTheMarginItsMean() {
        Gpt gpt = new Gpt(TINY, 5);
        DirectPreferenceOptimization dpo = new DirectPreferenceOptimization(8, END, 0.1);
        double c0 = ResponseLogProbs.of(gpt, PROMPTS[0], CHOSEN[0], END);
        double r0 = ResponseLogProbs.of(gpt, PROMPTS[0], REJECTED[0], END);
        double c1 = ResponseLogProbs.of(gpt, PROMPTS[1], CHOSEN[1], END);
        double r1 = ResponseLogProbs.of(gpt, PROMPTS[1], REJECTED[1], END);
        // references 3 nats above the policy on pair 0's chosen side, 3 below on pair 1's: margins −0.3 and +0.3
        float[] refChosen = {(float) (c0 + 3), (float) (c1 - 3)};
        float[] refRejected = {(float) r0, (float) r1};
        int[] packed = records(refChosen, refRejected).stream().map(r -> RecordLayout.encode(r)).flatMapToInt(java.util.Arrays::stream).toArray();
        java.util.Map<String, Double> figures = dpo.score(gpt, Examples.of(packed), 4, 10).figures();
        assertEquals(0.5, figures.get("implicit_reward_accuracy"));
        assertEquals(0.0, figures.get("implicit_reward_margin"), 1e-5);
        assertEquals(2.0, figures.get("pairs"));
    }

    @Test
    void recordsWithoutTheReferenceFieldsAreRefusedNamingTheStage() {
        DirectPreferenceOptimization dpo = new DirectPreferenceOptimization(8, END, 0.1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> dpo.batch(List.<int[][]>of(new int[][] {{5}, {6}, {7}})));
        assertTrue(e.getMessage().contains("ReferenceLogProbs"), e.getMessage());
        IllegalArgumentException beta = assertThrows(IllegalArgumentException.class, () -> new DirectPreferenceOptimization(8, END, 0));
        assertTrue(beta.getMessage().contains("dpo.beta"), beta.getMessage());
    }
}
