package io.sparklm.model;

import io.sparklm.nn.Attention;
import io.sparklm.nn.Block;
import io.sparklm.nn.Cache;
import io.sparklm.nn.Linear;
import io.sparklm.nn.Parameter;
import io.sparklm.nn.Parameters;
import io.sparklm.nn.Pooling;
import io.sparklm.tensor.Rng;
import io.sparklm.tensor.Tensor;

/**
 * Embeddings for contrastive training (seeds-digest §8, CLIP's shape): each side of a pair is
 * <pre>
 *   e = pool(body(ids, padding mask))·P            (B, D): P [C, D] when a projection is asked for, else e is (B, C)
 * </pre>
 * with one body shared by both sides ({@code bert.*}), or one per side ({@code a.*}, {@code b.*})
 * as a two-tower model; the pooling and projection belong to each body. With a learned temperature
 * the model also holds {@code logit_scale}, log τ (CLIP initialises τ = 0.07), a single parameter
 * without weight decay.
 */
public final class DualEncoder implements Model {
    /** Which side of a pair. */
    public enum Side { A, B }

    private final ModelSpec spec;
    private final Parameters params;
    private final Tower[] towers;
    private final Parameter logTemperature;

    /** One body with its pooling and optional projection. */
    private record Tower(TransformerBody body, Pooling pooling, Linear projection) {
    }

    /** A model initialised from {@code rng} (see {@link TransformerBody#initialise}), or zeros when null. */
    DualEncoder(ModelSpec spec, Rng rng) {
        this(spec, new Parameters());
        if (rng != null) {
            TransformerBody.initialise(rng, params, java.util.Arrays.stream(towers).map(Tower::body).toArray(TransformerBody[]::new));
        }
        if (logTemperature != null) {
            logTemperature.value().data[0] = (float) Math.log(spec.head().temperature());
        }
    }

    private DualEncoder(ModelSpec spec, Parameters params) {
        this.spec = spec;
        this.params = params;
        ModelSpec.PooledHead head = spec.head();
        this.towers = head.twoTower() ? new Tower[] {tower(params, "a."), tower(params, "b.")} : new Tower[] {tower(params, Bert.PREFIX)};
        this.logTemperature = head.learnedTemperature() ? params.add("logit_scale", false, 1) : null;
    }

    private Tower tower(Parameters params, String prefix) {
        ModelConfig config = spec.config();
        TransformerBody body = new TransformerBody(params, prefix, config, Attention.Mode.BIDIRECTIONAL, false,
                config.norm() == Block.Norm.PRE);
        Pooling pooling = new Pooling(params, prefix + "pool", config.width(), spec.head().pooling());
        Linear projection = spec.head().outputs() > 0 ? new Linear(params, prefix + "projection", config.width(), spec.head().outputs(), false)
                : null;
        return new Tower(body, pooling, projection);
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public Parameters parameters() {
        return params;
    }

    @Override
    public DualEncoder replica() {
        return new DualEncoder(spec, Parameters.sharingValuesOf(params));
    }

    /** log τ: the parameter's value when learned, else the spec's fixed τ. */
    public double logTemperature() {
        return logTemperature != null ? logTemperature.value().data[0] : Math.log(spec.head().temperature());
    }

    /** Adds ∂L/∂log τ to the temperature's gradient; nothing when τ is fixed. */
    public void addTemperatureGradient(double gradient) {
        if (logTemperature != null) {
            logTemperature.grad().data[0] += (float) gradient;
        }
    }

    private Tower tower(Side side) {
        return towers[towers.length == 1 ? 0 : side.ordinal()];
    }

    /** The embeddings (B, D) of one side's B sequences; keeps what {@link #backward} needs in {@code cache}. */
    public Tensor embed(Side side, int[] ids, boolean[] valid, int batch, int time, Cache cache) {
        Tower t = tower(side);
        Tensor h = t.body().forward(ids, batch, time, valid, null, null, cache);
        Tensor pooled = t.pooling().forward(h, valid, cache.child("pool"));
        return t.projection() == null ? pooled : t.projection().forward(pooled, cache.child("projection"));
    }

    /** Accumulates the gradients of one side's tower from ∂L/∂embeddings (B, D), after {@link #embed} on the same cache. */
    public void backward(Side side, Tensor dEmbeddings, Cache cache) {
        Tower t = tower(side);
        Tensor dPooled = t.projection() == null ? dEmbeddings : t.projection().backward(dEmbeddings, cache.child("projection"));
        t.body().backward(t.pooling().backward(dPooled, cache.child("pool")), cache, null);
    }
}
