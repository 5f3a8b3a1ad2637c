package io.sparklm.objective;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PPO's diagnostics over N response tokens as sums (TRL's {@code clipfrac}, {@code approxkl},
 * {@code entropy}, {@code vf_loss}):
 * <pre>
 *   clip fraction  #{t : |r_t − 1| &gt; ε} / N
 *   approx KL      Σ_t (log π_old − log π_θ) / N
 *   entropy        Σ_t H_t / N
 *   value loss     Σ_t max((V − R)², (V_old + clip(V − V_old, −c, c) − R)²) / N
 * </pre>
 */
public record PpoScores(double tokens, double clipped, double approxKlSum, double entropySum, double valueLossSum) implements Scores {
    @Override
    public PpoScores plus(Scores other) {
        PpoScores o = (PpoScores) other;
        return new PpoScores(tokens + o.tokens, clipped + o.clipped, approxKlSum + o.approxKlSum, entropySum + o.entropySum,
                valueLossSum + o.valueLossSum);
    }

    @Override
    public Map<String, Double> figures() {
        Map<String, Double> f = new LinkedHashMap<>();
        f.put("clip_fraction", clipped / tokens);
        f.put("approx_kl", approxKlSum / tokens);
        f.put("entropy", entropySum / tokens);
        f.put("value_loss", valueLossSum / tokens);
        return f;
    }
}
