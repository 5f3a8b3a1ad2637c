package io.sparklm.rlhf;

import io.sparklm.data.tokenizer.Tokenizer;
import io.sparklm.model.Gpt;
import io.sparklm.train.TaskThreads;
import java.io.Serializable;
import org.apache.spark.api.java.JavaRDD;

/**
 * Two policies judged by the rule on the same held-out prompts: one response from each per prompt
 * ({@link PolicySamples}, the same seeds), and
 * <pre>
 *   win rate   = mean over prompts of wins(y_b, y_a)          ties count half
 *   true score = mean s(y) of each policy's responses         ({@link TruePreference})
 *   kl         = mean over prompts of log π_b(y_b|x) − log π_a(y_b|x)
 * </pre>
 * the last an estimate of KL(π_b ‖ π_a) per response, with a the reference. All are sums over
 * prompts, added across partitions.
 */
public final class PolicyComparison {
    private PolicyComparison() {
    }

    /** Sums over prompts, and their number. */
    public record Totals(double wins, double scoreA, double scoreB, double kl, long prompts) implements Serializable {
        Totals plus(Totals o) {
            return new Totals(wins + o.wins, scoreA + o.scoreA, scoreB + o.scoreB, kl + o.kl, prompts + o.prompts);
        }

        public double winRate() {
            return prompts == 0 ? 0 : wins / prompts;
        }

        public double meanScoreA() {
            return prompts == 0 ? 0 : scoreA / prompts;
        }

        public double meanScoreB() {
            return prompts == 0 ? 0 : scoreB / prompts;
        }

        public double meanKl() {
            return prompts == 0 ? 0 : kl / prompts;
        }
    }

    public static Totals compare(JavaRDD<String> prompts, PolicySamples.Policy a, PolicySamples.Policy b,
                                 PolicySamples.Sampling sampling, TruePreference rule) {
        JavaRDD<PolicySamples.Sampled> fromA = PolicySamples.sample(prompts, a, sampling);
        JavaRDD<PolicySamples.Sampled> fromB = PolicySamples.sample(prompts, b, sampling);
        return fromA.zip(fromB).mapPartitions(pairs -> {
            TaskThreads.use(0);
            Gpt modelA = a.model();
            Gpt modelB = b.model();
            Tokenizer tokenizer = b.tokenizer();
            Totals t = new Totals(0, 0, 0, 0, 0);
            while (pairs.hasNext()) {
                var pair = pairs.next();
                String ya = pair._1().responses().get(0);
                String yb = pair._2().responses().get(0);
                int[] x = tokenizer.encode(pair._1().prompt());
                double kl = PolicySamples.logRatio(modelB, modelA, x, tokenizer.encode(yb));
                t = t.plus(new Totals(rule.wins(yb, ya), rule.score(ya), rule.score(yb), kl, 1));
            }
            return java.util.List.of(t).iterator();
        }).reduce(Totals::plus);
    }
}
