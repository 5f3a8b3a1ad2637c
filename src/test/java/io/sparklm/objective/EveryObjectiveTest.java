package io.sparklm.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklm.data.shard.RecordLayout;
import io.sparklm.loss.LossResult;
import io.sparklm.model.Model;
import io.sparklm.model.ModelConfig;
import io.sparklm.model.ModelFamily;
import io.sparklm.model.ModelSpec;
import io.sparklm.nn.Activation;
import io.sparklm.nn.Block;
import io.sparklm.nn.Cache;
import io.sparklm.nn.Parameter;
import io.sparklm.nn.Pooling;
import io.sparklm.nn.PositionalEncoding;
import io.sparklm.tensor.Rng;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every objective through the one seam: the gradient its model accumulates is that of its mean
 * loss (central differences over a sample of every parameter's entries, GELU so no kink spoils
 * them), and the same draw gives the same batch.
 */
public class EveryObjectiveTest {
    static final int VOCAB = 12;
    static final ModelConfig POST_LN = new ModelConfig(VOCAB, 8, 2, 2, 8, 16, 0.0, Activation.GELU, Block.Norm.POST,
            PositionalEncoding.Kind.LEARNED);

    /** An objective, the spec of the model it trains and a worker's data for it. */
    public record Case(String name, Objective objective, ModelSpec spec, int[] data) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Token ids 5 … 11 (0 … 4 are BERT's specials), counting up with noise. */
    static int[] stream(long seed, int n) {
        Rng rng = new Rng(seed);
        return IntStream.range(0, n).map(i -> 5 + (rng.nextDouble() < 0.2 ? rng.nextInt(VOCAB - 5) : i % (VOCAB - 5))).toArray();
    }

    /** {@code n} records of two fields: a sequence of 2–6 ids and either a label (its first id mod 3) or a second sequence. */
    static int[] records(long seed, int n, boolean labelled) {
        Rng rng = new Rng(seed);
        List<int[]> rows = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] a = IntStream.range(0, 2 + rng.nextInt(5)).map(t -> 5 + rng.nextInt(VOCAB - 5)).toArray();
            int[] b = labelled ? new int[] {a[0] % 3} : IntStream.range(0, a.length).map(t -> a[a.length - 1 - t]).toArray();
            rows.add(RecordLayout.encode(a, b));
        }
        return rows.stream().flatMapToInt(java.util.Arrays::stream).toArray();
    }

    /** {@code n} (prompt, chosen, rejected) records of 1–4 ids each; the chosen response counts up, the rejected repeats. */
    static int[] preferences(long seed, int n) {
        Rng rng = new Rng(seed);
        List<int[]> rows = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] prompt = IntStream.range(0, 1 + rng.nextInt(4)).map(t -> 5 + rng.nextInt(VOCAB - 5)).toArray();
            int length = 1 + rng.nextInt(4);
            int[] chosen = IntStream.range(0, length).map(t -> 5 + (prompt[0] + t) % (VOCAB - 5)).toArray();
            int[] rejected = IntStream.range(0, length).map(t -> prompt[0]).toArray();
            rows.add(RecordLayout.encode(prompt, chosen, rejected));
        }
        return rows.stream().flatMapToInt(java.util.Arrays::stream).toArray();
    }

    /**
     * {@code n} DPO records: {@link #preferences} with log π_ref(y_c|x) and log π_ref(y_r|x) (any
     * floats, here in [−12, −4]) as fields of one id holding their float bits.
     */
    static int[] dpoRecords(long seed, int n) {
        Examples examples = Examples.of(preferences(seed, n));
        Rng rng = new Rng(seed + 1);
        List<int[]> rows = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[][] r = examples.record(i, 3);
            rows.add(RecordLayout.encode(r[0], r[1], r[2], new int[] {Float.floatToIntBits((float) (-12 + 8 * rng.nextDouble()))},
                    new int[] {Float.floatToIntBits((float) (-12 + 8 * rng.nextDouble()))}));
        }
        return rows.stream().flatMapToInt(java.util.Arrays::stream).toArray();
    }

    /**
     * {@code n} PPO rollout records: a prompt of 1–3 ids, a response of 1–4, old log-probs near
     * −ln 12 (ratios on both sides of the clip range), standard normal advantages and returns, old values N(0, 0.5²).
     */
    static int[] rollouts(long seed, int n) {
        Rng rng = new Rng(seed);
        List<int[]> rows = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] prompt = IntStream.range(0, 1 + rng.nextInt(3)).map(t -> 5 + rng.nextInt(VOCAB - 5)).toArray();
            int length = 1 + rng.nextInt(4);
            int[] response = IntStream.range(0, length).map(t -> 5 + rng.nextInt(VOCAB - 5)).toArray();
            float[][] perToken = new float[4][length];
            for (int t = 0; t < length; t++) {
                perToken[0][t] = (float) (-Math.log(VOCAB) + 0.3 * rng.nextGaussian());
                perToken[1][t] = (float) rng.nextGaussian();
                perToken[2][t] = (float) rng.nextGaussian();
                perToken[3][t] = (float) (0.5 * rng.nextGaussian());
            }
            rows.add(ProximalPolicyOptimization.encode(prompt, response, perToken[0], perToken[1], perToken[2], perToken[3]));
        }
        return rows.stream().flatMapToInt(java.util.Arrays::stream).toArray();
    }

    public static List<Case> cases() {
        ModelConfig pre = ModelConfig.gpt(VOCAB, 8, 2, 2, 8);
        return List.of(
                new Case("clm", new CausalLmObjective(8), ModelSpec.decoder(pre), stream(1, 200)),
                new Case("mlm", new MaskedLmObjective(8, 3, VOCAB, 4, 0, 1, 2, 3, 4), new ModelSpec(ModelFamily.ENCODER, POST_LN),
                        stream(2, 200)),
                new Case("classify attention pooling, class weights", new ClassificationObjective(3, new float[] {0.5f, 1f, 2f}),
                        new ModelSpec(ModelFamily.CLASSIFIER, POST_LN, ModelSpec.PooledHead.classes(Pooling.Kind.ATTENTION, 3)),
                        records(3, 40, true)),
                new Case("classify [CLS], pre-LN", new ClassificationObjective(3, null),
                        new ModelSpec(ModelFamily.CLASSIFIER, pre, ModelSpec.PooledHead.classes(Pooling.Kind.CLS, 3)), records(4, 40, true)),
                new Case("contrastive shared, cosine, learned τ, projection", new ContrastiveObjective(true, 4),
                        new ModelSpec(ModelFamily.CONTRASTIVE, POST_LN, new ModelSpec.PooledHead(Pooling.Kind.MEAN, 6, false, true, 0.5, true)),
                        records(5, 40, false)),
                new Case("contrastive two towers, dot, fixed τ", new ContrastiveObjective(false, 4),
                        new ModelSpec(ModelFamily.CONTRASTIVE, pre, new ModelSpec.PooledHead(Pooling.Kind.MEAN, 0, true, false, 2, false)),
                        records(6, 40, false)),
                new Case("seq2seq", new Seq2SeqObjective(8, 1, 2), new ModelSpec(ModelFamily.SEQ2SEQ, pre), records(7, 40, false)),
                new Case("sft, prompt masked", new SupervisedFineTuning(8, 2, true), ModelSpec.decoder(pre), records(8, 40, false)),
                new Case("reward model", new RewardObjective(8), new ModelSpec(ModelFamily.REWARD, pre), preferences(9, 40)),
                new Case("dpo, β = 1", new DirectPreferenceOptimization(8, 2, 1.0), ModelSpec.decoder(pre), dpoRecords(10, 40)),
                new Case("ppo with entropy bonus", new ProximalPolicyOptimization(0.01), new ModelSpec(ModelFamily.POLICY, pre),
                        rollouts(10, 40)));
    }

    /**
     * The spec's model with N(0, 0.2) added to every parameter: weights of GPT-2's N(0, 0.02) would
     * make a finite-difference step a large change of a small weight, and LayerNorm or a cosine of
     * small vectors curve sharply there.
     */
    private static Model perturbed(Case c) {
        Model model = c.spec().build(11);
        Rng noise = new Rng(12);
        for (Parameter p : model.parameters().all()) {
            for (int i = 0; i < p.size(); i++) {
                p.value().data[i] += (float) (0.2 * noise.nextGaussian());
            }
        }
        return model;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theGradientIsThatOfTheMeanLoss(Case c) {
        Model model = perturbed(c);
        Batch batch = c.objective().sample(Examples.of(c.data()), 4, new Draw(9, new long[] {1, 0, 0}));
        double weight = c.objective().weight(model, batch);
        assertTrue(weight > 0, "the batch counts something");
        model.parameters().zeroGrad();
        double sum = c.objective().lossAndGradient(model, batch, weight, Cache.inference());
        LossResult loss = c.objective().loss(model, batch);
        assertEquals(loss.sum(), sum, 1e-4 * Math.abs(sum), "training and evaluation passes agree on the loss");
        assertEquals(weight, loss.weight());
        for (Parameter p : model.parameters().all()) {
            for (int k = 0; k < Math.min(4, p.size()); k++) {
                int i = (k * 7919) % p.size();
                float saved = p.value().data[i];
                p.value().data[i] = saved + 1e-2f;
                double plus = c.objective().loss(model, batch).mean();
                p.value().data[i] = saved - 1e-2f;
                double minus = c.objective().loss(model, batch).mean();
                p.value().data[i] = saved;
                double numeric = (plus - minus) / 2e-2;
                assertEquals(numeric, p.grad().data[i], 2e-3 + 2e-2 * Math.abs(numeric), c + ": " + p.name() + "[" + i + "]");
            }
        }
    }

    /** Central differences of the mean loss in every entry of the parameters whose name starts with one of {@code heads}. */
    /** Receives a parameter entry's name, numeric and analytic derivative. */
    private interface EntryCheck {
        void accept(String entry, double numeric, double analytic);
    }

    private static int checkHeads(Case c, double scale, EntryCheck check, String... heads) {
        int checked = 0;
        Model model = perturbed(c);
        Batch batch = c.objective().sample(Examples.of(c.data()), 4, new Draw(9, new long[] {1, 0, 0}));
        model.parameters().zeroGrad();
        c.objective().lossAndGradient(model, batch, c.objective().weight(model, batch), Cache.inference());
        for (Parameter p : model.parameters().all()) {
            if (java.util.Arrays.stream(heads).noneMatch(p.name()::startsWith)) {
                continue;
            }
            for (int i = 0; i < Math.min(24, p.size()); i++) {
                float saved = p.value().data[i];
                p.value().data[i] = saved + 5e-3f;
                double plus = c.objective().loss(model, batch).mean();
                p.value().data[i] = saved - 5e-3f;
                double minus = c.objective().loss(model, batch).mean();
                p.value().data[i] = saved;
                check.accept(p.name() + "[" + i + "]", (plus - minus) / 1e-2, scale * p.grad().data[i]);
                checked++;
            }
        }
        return checked;
    }

    /** |analytic − numeric| ≤ 1e-4 + 2e-3·|numeric|: a gradient 1% off fails it wherever it is above about 0.013. */
    private static boolean tight(double numeric, double analytic) {
        return Math.abs(analytic - numeric) <= 1e-4 + 2e-3 * Math.abs(numeric);
    }

    /**
     * The heads the families add (BERT's masked-LM transform and output bias, the pooling and
     * classifier, the projection and learned temperature, the policy's value head) pass a check tight enough that the same
     * backward with every term 1% off fails it.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void newHeadsPassATightCheckThatABackwardOnePercentOffFails(Case c) {
        // GPT and the encoder-decoder add no head of their own (the tied head is gradient-checked in GptTest); nor does a
        // mean-pooled two-tower model without projection or learned temperature
        String[] heads = {"cls.", "pool.", "classifier.", "bert.pool.", "bert.projection.", "logit_scale", "a.pool.", "b.pool.", "score.",
            "value_head."};
        int checked = checkHeads(c, 1.0, (entry, numeric, analytic) -> assertTrue(tight(numeric, analytic),
                c + " " + entry + ": " + analytic + " vs " + numeric), heads);
        if (checked == 0) {
            return;
        }
        int[] failures = new int[1];
        checkHeads(c, 1.01, (entry, numeric, analytic) -> failures[0] += tight(numeric, analytic) ? 0 : 1, heads);
        assertTrue(failures[0] > 0, c + ": a backward 1% off passes the check");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void theSameDrawGivesTheSameBatchAndAnotherStepAnother(Case c) {
        Model model = c.spec().build(11);
        Examples examples = Examples.of(c.data());
        double a = c.objective().loss(model, c.objective().sample(examples, 4, new Draw(9, new long[] {2, 1, 5}))).sum();
        double again = c.objective().loss(model, c.objective().sample(Examples.of(c.data()), 4, new Draw(9, new long[] {2, 1, 5}))).sum();
        double other = c.objective().loss(model, c.objective().sample(examples, 4, new Draw(9, new long[] {2, 1, 6}))).sum();
        assertEquals(a, again, 0.0);
        assertTrue(a != other, "step 6 draws another batch than step 5");
    }
}
