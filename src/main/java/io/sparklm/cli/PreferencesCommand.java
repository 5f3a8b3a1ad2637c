package io.sparklm.cli;

import io.sparklm.data.corpus.WordNetLexicon;
import io.sparklm.rlhf.PolicySamples;
import io.sparklm.rlhf.PreferencePairs;
import io.sparklm.rlhf.TruePreference;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code sparklm preferences}: samples {@code preferences.responses} (2 by default, an even number)
 * responses per prompt from a policy on Spark and labels each disjoint pair of them with the
 * programmatic preference ({@link TruePreference}), writing (prompt, chosen, rejected) JSONL under
 * {@code data.output/pairs} for {@code tokenize data.fields=prompt,chosen,rejected}.
 */
final class PreferencesCommand implements Main.Command {
    @Override
    public String summary() {
        return "sample pairs of responses per prompt from policy.model and label them by the WordNet rule: (prompt, chosen, rejected) JSONL";
    }

    @Override
    public Map<String, String> defaults() {
        Map<String, String> d = new HashMap<>(PromptSource.defaults());
        d.putAll(Sampling.defaults());
        d.put("policy.model", "runs/rlhf/sft/model");
        d.put("preferences.responses", "2");
        d.put("data.output", "runs/rlhf/preferences");
        d.put("spark.master", "local[*]");
        return d;
    }

    @Override
    public void run(Options o) throws Exception {
        SparkSession spark = SparkJobs.session("preferences", o);
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        String output = o.string("data.output");
        PolicySamples.Policy policy = PolicySamples.Policy.load(sc, Path.of(o.string("policy.model")));
        int responses = o.integerAtLeast("preferences.responses", 2);
        if (responses % 2 != 0) {
            throw new IllegalArgumentException("preferences.responses must be even (responses are paired 1-2, 3-4, …), got " + responses);
        }
        PolicySamples.Sampling sampling = Sampling.of(o, responses);
        var pairs = PreferencePairs.label(PolicySamples.sample(PromptSource.read(spark, o, output), policy, sampling),
                new TruePreference(WordNetLexicon.load()));
        StructType schema = new StructType().add("prompt", DataTypes.StringType).add("chosen", DataTypes.StringType)
                .add("rejected", DataTypes.StringType);
        String dir = output + "/pairs";
        spark.createDataFrame(pairs.map(p -> RowFactory.create(p.prompt(), p.chosen(), p.rejected())), schema)
                .write().mode("overwrite").json(dir);
        System.out.printf("preferences: %d pairs in %s%n", spark.read().json(dir).count(), dir);
    }

    /** Settings of how responses are drawn, shared with {@code compare}. */
    static final class Sampling {
        private Sampling() {
        }

        static Map<String, String> defaults() {
            return Map.of("sample.maxTokens", "24", "sample.temperature", "1.0", "sample.topK", "0", "sample.seed", "1");
        }

        static PolicySamples.Sampling of(Options o, int count) {
            return new PolicySamples.Sampling(count, o.integerAtLeast("sample.maxTokens", 1), o.numberIn("sample.temperature", 0, 100),
                    o.integerAtLeast("sample.topK", 0), o.integer("sample.seed"));
        }
    }
}
