package io.sparklm.cli;

import io.sparklm.data.corpus.WordNetLexicon;
import io.sparklm.rlhf.PolicyComparison;
import io.sparklm.rlhf.PolicySamples;
import io.sparklm.rlhf.TruePreference;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * {@code sparklm compare}: policy b against policy a (the reference) on held-out prompts, judged by
 * the programmatic preference ({@link PolicyComparison}); prints
 * {@code win_rate: W true_score_a: S0 true_score_b: S1 kl: K prompts: N}.
 */
final class CompareCommand implements Main.Command {
    @Override
    public String summary() {
        return "judge policy compare.b against compare.a on held-out prompts by the WordNet rule: win rate, true scores, KL to a";
    }

    @Override
    public Map<String, String> defaults() {
        Map<String, String> d = new HashMap<>(PromptSource.defaults());
        d.putAll(PreferencesCommand.Sampling.defaults());
        d.put("compare.a", "runs/rlhf/sft/model");
        d.put("compare.b", "runs/rlhf/dpo/model");
        d.put("data.output", "runs/rlhf/compare");
        d.put("spark.master", "local[*]");
        return d;
    }

    @Override
    public void run(Options o) throws Exception {
        SparkSession spark = SparkJobs.session("compare", o);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        PolicySamples.Policy a = PolicySamples.Policy.load(sc, Path.of(o.string("compare.a")));
        PolicySamples.Policy b = PolicySamples.Policy.load(sc, Path.of(o.string("compare.b")));
        PolicyComparison.Totals t = PolicyComparison.compare(PromptSource.read(spark, o, o.string("data.output")), a, b,
                PreferencesCommand.Sampling.of(o, 1), new TruePreference(WordNetLexicon.load()));
        System.out.printf(Locale.ROOT, "win_rate: %.4f true_score_a: %.4f true_score_b: %.4f kl: %.4f prompts: %d%n",
                t.winRate(), t.meanScoreA(), t.meanScoreB(), t.meanKl(), t.prompts());
    }
}
