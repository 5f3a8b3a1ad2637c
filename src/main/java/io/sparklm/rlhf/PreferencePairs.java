package io.sparklm.rlhf;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;

/**
 * Preference pairs labelled by a rule: two responses sampled per prompt ({@link PolicySamples}),
 * the one {@link TruePreference} scores higher is chosen; prompts whose two responses tie, or
 * whose responses hold no text (the end drawn first), are left out. This is how the demo gets (prompt, chosen, rejected) records whose preference is known.
 */
public final class PreferencePairs {
    private PreferencePairs() {
    }

    /** (prompt, chosen, rejected) texts. */
    public record Pair(String prompt, String chosen, String rejected) implements java.io.Serializable {
    }

    public static JavaRDD<Pair> label(JavaRDD<PolicySamples.Sampled> sampled, TruePreference rule) {
        return sampled.flatMap(s -> {
            List<String> r = s.responses();
            double win = rule.wins(r.get(0), r.get(1));
            if (win == 0.5 || r.get(0).isBlank() || r.get(1).isBlank()) {
                return List.<Pair>of().iterator();
            }
            return List.of(win == 1 ? new Pair(s.prompt(), r.get(0), r.get(1)) : new Pair(s.prompt(), r.get(1), r.get(0))).iterator();
        });
    }
}
