/**
 * Evaluation metrics whose partial results add across Spark shards.
 *
 * <p>Each metric is an accumulator of counts or sums: a new instance is the zero, {@code add(…)}
 * records one example in place and returns the accumulator, and {@code plus(other)} returns a new
 * accumulator holding both totals, leaving its operands unchanged. So a metric over an RDD is
 * {@code rdd.aggregate(new M(), (m, example) -> m.add(…), M::plus)}, and ratios are taken once, from
 * the global totals: a mean of shard ratios would weight small shards as much as large ones.
 */
package io.sparklm.metrics;
