package io.sparklm.train;

import java.io.Serializable;

/**
 * H_r, the local steps of round r, for a run of R rounds and T = R·H̄ steps per worker whose
 * synchronisations are moved around without changing its tokens or its number of rounds:
 * <ul>
 *   <li>rounds 1…K take one step each: K synchronous steps before local training
 *       (post-local SGD, Lin et al. 2020, "Don't Use Large Mini-Batches, Use Local SGD");</li>
 *   <li>the remaining R' = R − K rounds share T' = T − K steps, H growing linearly by the factor ρ
 *       from the first of them to the last (ρ &gt; 1: short rounds while the loss falls fast, as Gu et al.
 *       2023's quadratic synchronisation rule lengthens rounds as the learning rate decays; ρ &lt; 1:
 *       long rounds first, as AdaComm, Wang and Joshi 2019, shortens them as training proceeds). Local
 *       round j = r − K weighs w_j = 1 + (ρ − 1)(j − 1)/(R' − 1) and ends at step
 *       <pre>  S_r = K + ⌊T'·(w_1 + … + w_j) / (w_1 + … + w_R')⌋,   w_1 + … + w_j = j + (ρ − 1)·j(j − 1)/(2(R' − 1))</pre>
 *       so H_r = S_r − S_{r−1}, the last round ends at step T exactly, and H_r ≥ 1 when the smallest
 *       share, T'·min(1, ρ)/Σw = 2T'·min(1, ρ)/(R'(1 + ρ)), is at least one step.</li>
 * </ul>
 * K = 0, ρ = 1 is H̄ steps every round.
 *
 * @param rounds       R, the run's rounds ({@code train.rounds})
 * @param averageSteps H̄ ({@code train.localSteps})
 * @param syncSteps    K ({@code train.syncSteps}), in [0, R)
 * @param growth       ρ = H of the last round over H of the first local round ({@code train.localStepsGrowth}), &gt; 0
 */
public record LocalStepSchedule(int rounds, int averageSteps, int syncSteps, double growth) implements Serializable {
    public LocalStepSchedule {
        if (rounds <= 0) {
            throw new IllegalArgumentException("train.rounds must be positive, got " + rounds);
        }
        if (averageSteps <= 0) {
            throw new IllegalArgumentException("train.localSteps must be positive, got " + averageSteps);
        }
        if (syncSteps < 0 || syncSteps >= rounds) {
            throw new IllegalArgumentException("train.syncSteps must be in [0, train.rounds = " + rounds + "), got " + syncSteps);
        }
        if (!(growth > 0 && growth < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("train.localStepsGrowth must be finite and positive, got " + growth);
        }
        long localRounds = rounds - syncSteps;
        double leastShare = 2.0 * Math.min(1, growth) * ((long) rounds * averageSteps - syncSteps) / (localRounds * (1 + growth));
        if (leastShare < 1) {
            throw new IllegalArgumentException(String.format("train.localStepsGrowth = %s leaves the %s local round %.2f steps: "
                    + "bring it nearer 1, or raise train.localSteps", growth, growth > 1 ? "first" : "last", leastShare));
        }
    }

    /** H̄ every round. */
    public static LocalStepSchedule constant(int rounds, int localSteps) {
        return new LocalStepSchedule(rounds, localSteps, 0, 1);
    }

    /** T, the steps of the whole run per worker. */
    public long totalSteps() {
        return (long) rounds * averageSteps;
    }

    /** H_r, the local steps of round {@code round} (1-based). */
    public int steps(int round) {
        return (int) (end(round) - end(round - 1));
    }

    /** S_r, the steps taken once round {@code round} is done (S_0 = 0). */
    long end(int round) {
        if (round < 0 || round > rounds) {
            throw new IllegalArgumentException("round " + round + " is outside the run's " + rounds + " rounds");
        }
        if (round <= syncSteps) {
            return round;
        }
        long localRounds = rounds - syncSteps;
        long localSteps = totalSteps() - syncSteps;
        long j = round - syncSteps;
        if (j == localRounds) {
            return totalSteps();
        }
        double done = localRounds == 1 ? j : j + (growth - 1) * j * (j - 1) / (2.0 * (localRounds - 1));
        double all = localRounds * (1 + growth) / 2;
        return syncSteps + (long) Math.floor(localSteps * done / all);
    }

    /** What a resumed run must repeat: H̄ alone when H is the same every round, else the whole schedule. */
    public String describe() {
        return syncSteps == 0 && growth == 1 ? "H = " + averageSteps + " every round"
                : String.format("%d rounds of %d steps: %d synchronous, then H changing %s× from first to last", rounds, averageSteps, syncSteps, growth);
    }
}
