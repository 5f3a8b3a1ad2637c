package io.sparklm.rlhf;

import com.fasterxml.jackson.databind.json.JsonMapper;
import io.sparklm.data.tokenizer.Tokenizer;
import io.sparklm.eval.Generator;
import io.sparklm.loss.CrossEntropy;
import io.sparklm.model.Gpt;
import io.sparklm.model.ModelSpec;
import io.sparklm.nn.Cache;
import io.sparklm.tensor.Rng;
import io.sparklm.train.ModelDirectory;
import io.sparklm.train.TaskThreads;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Responses sampled from GPT policies on Spark's executors: each policy's parameters are broadcast
 * once, every partition rebuilds the model and samples its prompts' responses with the KV-cached
 * {@link Generator}, response k of prompt i of partition p drawn from an RNG seeded by
 * (seed, p, i, k), so a retried task samples the same text. Responses stop at the tokenizer's
 * end-of-text id or after {@code maxTokens}.
 */
public final class PolicySamples {
    private PolicySamples() {
    }

    /** A saved GPT policy as executors receive it: its spec, its parameters (broadcast) and its tokenizer as JSON. */
    public record Policy(ModelSpec spec, Broadcast<float[]> parameters, String tokenizerJson) implements Serializable {
        /** The policy saved in {@code dir} (a model directory), broadcast over {@code sc}. */
        public static Policy load(JavaSparkContext sc, Path dir) throws IOException {
            ModelDirectory.Loaded loaded = ModelDirectory.load(dir);
            Gpt gpt = loaded.decoder("sampling a policy");
            return new Policy(gpt.spec(), sc.broadcast(gpt.parameters().flatten()), loaded.tokenizer().toJson().toString());
        }

        Gpt model() {
            return (Gpt) spec.withParameters(parameters.value());
        }

        Tokenizer tokenizer() throws IOException {
            return Tokenizer.fromJson(new JsonMapper().readTree(tokenizerJson), "the broadcast tokenizer");
        }
    }

    /** How responses are drawn. */
    public record Sampling(int count, int maxTokens, double temperature, int topK, long seed) implements Serializable {
    }

    /** A prompt and its sampled responses (text). */
    public record Sampled(String prompt, List<String> responses) implements Serializable {
    }

    /** {@code sampling.count()} responses of {@code policy} to every prompt. */
    public static JavaRDD<Sampled> sample(JavaRDD<String> prompts, Policy policy, Sampling sampling) {
        return prompts.mapPartitionsWithIndex((partition, rows) -> {
            TaskThreads.use(0);
            Gpt model = policy.model();
            Tokenizer tokenizer = policy.tokenizer();
            Generator generator = new Generator(model);
            int end = tokenizer.endOfText().orElse(-1);
            List<Sampled> out = new ArrayList<>();
            int i = 0;
            while (rows.hasNext()) {
                String prompt = rows.next();
                int[] ids = tokenizer.encode(prompt);
                List<String> responses = new ArrayList<>();
                for (int k = 0; k < sampling.count(); k++) {
                    Rng rng = Rng.derive(sampling.seed(), partition, i, k);
                    int budget = Math.min(sampling.maxTokens(), model.config().blockSize() - 1);
                    int[] all = generator.generate(ids, budget, sampling.temperature(), sampling.topK(), rng, end);
                    responses.add(tokenizer.decode(java.util.Arrays.copyOfRange(all, ids.length, all.length)));
                }
                out.add(new Sampled(prompt, responses));
                i++;
            }
            return out.iterator();
        }, true);
    }

    /**
     * log π(y | x) − log π_ref(y | x) of one response under two GPTs sharing a tokenizer: the sum over
     * its tokens of the difference of their log-probabilities, an unbiased estimate of KL(π ‖ π_ref)
     * when y was drawn from π.
     */
    static double logRatio(Gpt policy, Gpt reference, int[] prompt, int[] response) {
        return logProb(policy, prompt, response) - logProb(reference, prompt, response);
    }

    /** Σ_t log π(y_t | x, y_&lt;t) from one pass over x · y (its last blockSize tokens) with the prompt's targets ignored. */
    static double logProb(Gpt model, int[] prompt, int[] response) {
        if (response.length == 0) {
            return 0;
        }
        int[] window = io.sparklm.objective.PreferenceBatch.joined(prompt, response, model.config().blockSize());
        int positions = window.length - 1;
        int firstResponse = window.length - response.length;
        int[] targets = new int[positions];
        for (int t = 0; t < positions; t++) {
            targets[t] = t + 1 >= firstResponse ? window[t + 1] : CrossEntropy.DEFAULT_IGNORE_INDEX;
        }
        boolean[] valid = new boolean[positions];
        java.util.Arrays.fill(valid, true);
        return model.sequenceLogProbs(java.util.Arrays.copyOf(window, positions), valid, targets, 1, positions, Cache.inference())[0];
    }
}
