package io.sparklm.metrics;

/** The ratio convention of these metrics: a 0/0 (no examples to judge) is 0, not NaN. */
final class Ratio {
    private Ratio() {
    }

    /** numerator / denominator, 0 when the denominator is 0. */
    static double of(double numerator, double denominator) {
        return denominator == 0 ? 0 : numerator / denominator;
    }
}
