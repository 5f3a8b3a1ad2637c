package io.sparklm.rlhf;

import io.sparklm.loss.CrossEntropy;
import io.sparklm.model.Decoder;
import io.sparklm.model.ModelSpec;
import io.sparklm.model.PaddedSequences;
import io.sparklm.model.PolicyValue;
import io.sparklm.nn.Cache;
import io.sparklm.objective.Examples;
import io.sparklm.tensor.Kernels;
import io.sparklm.tensor.Rng;
import io.sparklm.tensor.Tensor;
import io.sparklm.train.TaskThreads;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * PPO's rollouts on executors: each partition's prompts are answered by sampling the policy, and
 * every response token gets what the update needs (Ziegler et al. 2019; TRL's {@code PPOTrainer}):
 * <pre>
 *   a_t ~ π_old(· | prompt · a_&lt;t)     temperature 1, the full distribution, with the KV-cached {@link Decoder}
 *   log π_old(a_t)                       from the sampling logits
 *   log π_ref(a_t), V_t                  one forward of the frozen reference and of the policy over prompt · response
 * </pre>
 * Responses end after the end id or {@code maxTokens} tokens. The prompt keeps its last
 * blockSize + 1 − maxTokens tokens, so prompt · response without its last token fits one block.
 * Sequence s of partition p in iteration i draws from an RNG seeded by (seed, i, p, s) only, so a
 * retried task reproduces its samples.
 */
public final class Rollouts {
    private Rollouts() {
    }

    /**
     * @param maxTokens    most response tokens, in [1, blockSize]
     * @param endId        the token that ends a response (kept as its last token)
     * @param promptFields fields of the prompt records; the prompt is field 0 (SFT's (prompt, response) records: 2)
     */
    public record Settings(int maxTokens, int endId, int promptFields) implements Serializable {
        public Settings {
            if (maxTokens < 1 || promptFields < 1) {
                throw new IllegalArgumentException("rollouts need maxTokens ≥ 1 and promptFields ≥ 1, got " + maxTokens + " and "
                        + promptFields);
            }
        }
    }

    /**
     * One sampled response and, per response token, log π_old, log π_ref and V.
     *
     * @param partition the prompt partition
     * @param sequence  the prompt's record index in its partition
     */
    public record Rollout(int partition, int sequence, int[] prompt, int[] response, float[] logProb, float[] refLogProb, float[] value)
            implements Serializable {
    }

    /**
     * The rollouts of every prompt record of {@code prompts} (one packed int[] of records per
     * partition), with the policy and the reference broadcast once.
     */
    public static JavaRDD<Rollout> sample(JavaSparkContext sc, JavaRDD<int[]> prompts, PolicyValue policy, PolicyValue reference,
                                          Settings settings, long seed, int iteration) {
        ModelSpec policySpec = policy.spec();
        ModelSpec referenceSpec = reference.spec();
        Broadcast<float[]> policyParameters = sc.broadcast(policy.parameters().flatten());
        Broadcast<float[]> referenceParameters = sc.broadcast(reference.parameters().flatten());
        return prompts.mapPartitionsWithIndex((partition, shards) -> {
            TaskThreads.use(0);
            PolicyValue p = (PolicyValue) policySpec.withParameters(policyParameters.value());
            PolicyValue r = (PolicyValue) referenceSpec.withParameters(referenceParameters.value());
            List<Rollout> out = new ArrayList<>();
            while (shards.hasNext()) {
                out.addAll(partition(p, r, shards.next(), settings, seed, iteration, partition));
            }
            return out.iterator();
        }, true);
    }

    /** The rollouts of one partition's prompt records, in record order. */
    public static List<Rollout> partition(PolicyValue policy, PolicyValue reference, int[] records, Settings settings, long seed,
                                          int iteration, int partition) {
        int blockSize = policy.config().blockSize();
        if (settings.maxTokens() > blockSize) {
            throw new IllegalArgumentException("rollouts of up to " + settings.maxTokens() + " tokens exceed model.blockSize " + blockSize);
        }
        Examples examples = Examples.of(records);
        List<Rollout> out = new ArrayList<>();
        try (Decoder decoder = policy.decoder(1)) {
            for (int s = 0; s < examples.records(settings.promptFields()); s++) {
                int[] prompt = examples.record(s, settings.promptFields())[0];
                if (prompt.length == 0) {
                    throw new IllegalArgumentException("prompt record " + s + " of partition " + partition + " is empty");
                }
                prompt = Arrays.copyOfRange(prompt, Math.max(0, prompt.length - (blockSize + 1 - settings.maxTokens())), prompt.length);
                decoder.clear(0);
                Rng rng = Rng.derive(seed, iteration, partition, s);
                int[] response = new int[settings.maxTokens()];
                float[] logProb = new float[settings.maxTokens()];
                int length = 0;
                Tensor logits = decoder.append(0, prompt);
                while (true) {
                    int token = draw(logits.data, rng);
                    logProb[length] = logits.data[token];
                    response[length++] = token;
                    if (token == settings.endId() || length == settings.maxTokens()) {
                        break;
                    }
                    logits = decoder.step(new int[] {token});
                }
                response = Arrays.copyOf(response, length);
                float[][] scored = scoredByFullForward(policy, reference, prompt, response);
                out.add(new Rollout(partition, s, prompt, response, Arrays.copyOf(logProb, length), scored[0], scored[1]));
            }
        }
        return out;
    }

    /** Overwrites logits z with log softmax(z) and draws a token from it by inverse CDF. */
    private static int draw(float[] z, Rng rng) {
        double lse = Kernels.logSumExp(z, 0, z.length);
        for (int j = 0; j < z.length; j++) {
            z[j] = (float) (z[j] - lse);
        }
        double u = rng.nextDouble();
        double cumulative = 0;
        for (int j = 0; j < z.length; j++) {
            cumulative += Math.exp(z[j]);
            if (u < cumulative) {
                return j;
            }
        }
        return z.length - 1;
    }

    /**
     * log π_ref(a_t) and V_t per response token, from one forward of each model over prompt ·
     * response without its last token; the policy's pass scores no action, so its head forms no logits.
     */
    private static float[][] scoredByFullForward(PolicyValue policy, PolicyValue reference, int[] prompt, int[] response) {
        int[] inputs = new int[prompt.length + response.length - 1];
        System.arraycopy(prompt, 0, inputs, 0, prompt.length);
        System.arraycopy(response, 0, inputs, prompt.length, response.length - 1);
        int[] actions = new int[inputs.length];
        Arrays.fill(actions, CrossEntropy.DEFAULT_IGNORE_INDEX);
        System.arraycopy(response, 0, actions, prompt.length - 1, response.length);
        PaddedSequences sequence = new PaddedSequences(inputs, null, 1, inputs.length);
        float[] refLogProb = reference.forward(sequence, actions, Cache.inference()).logProb();
        int[] noActions = new int[inputs.length];
        Arrays.fill(noActions, CrossEntropy.DEFAULT_IGNORE_INDEX);
        float[] value = policy.forward(sequence, noActions, Cache.inference()).value();
        int from = prompt.length - 1;
        return new float[][] {Arrays.copyOfRange(refLogProb, from, from + response.length), Arrays.copyOfRange(value, from, from + response.length)};
    }
}
