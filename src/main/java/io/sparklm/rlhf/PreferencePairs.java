package io.sparklm.rlhf;

import java.util.List;
import org.apache.spark.api.java.JavaRDD;

/**
 * Preference pairs labelled by a rule: responses sampled per prompt ({@link PolicySamples}) are
 * paired in order (1 with 2, 3 with 4, …), so no response is in two pairs, and of each pair the one
 * {@link TruePreference} scores higher is chosen; pairs that tie, or with a response that holds no
 * text (the end drawn first), are left out. This is how the demo gets (prompt, chosen, rejected) records whose preference is known.
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
            List<Pair> pairs = new java.util.ArrayList<>();
            for (int k = 0; k + 1 < r.size(); k += 2) {
                String a = r.get(k);
                String b = r.get(k + 1);
                double win = rule.wins(a, b);
                if (win != 0.5 && !a.isBlank() && !b.isBlank()) {
                    pairs.add(win == 1 ? new Pair(s.prompt(), a, b) : new Pair(s.prompt(), b, a));
                }
            }
            return pairs.iterator();
        });
    }
}
