package io.sparklm.nn;

import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sparklm.tensor.Tensor;
import org.junit.jupiter.api.Test;

class CacheTest {
    @Test
    void childrenOfOneGradientGroupShareGradientBuffersByPathAndKeepTheirOwnActivations() {
        Cache pass = Cache.inference();
        Cache h0 = pass.child("h0", 0);
        Cache h1 = pass.child("h1", 1);
        Cache h2 = pass.child("h2", 0);
        Tensor g0 = h0.child("mlp").child("ln").gradient("dx", 2, 3);
        assertSame(g0, h2.child("mlp").child("ln").gradient("dx", 2, 3), "same group, same path: one buffer");
        assertNotSame(g0, h1.child("mlp").child("ln").gradient("dx", 2, 3), "the other group has its own");
        assertNotSame(g0, h2.child("attn").child("ln").gradient("dx", 2, 3), "another path has its own");
        assertNotSame(h0.child("mlp").tensor("y", 2, 3), h2.child("mlp").tensor("y", 2, 3), "activations stay per layer");
        assertNotSame(g0, h0.child("mlp").child("ln").gradient("dx", 3, 3), "a new shape gets a new buffer");
    }

    @Test
    void outsideAGroupGradientsAreTheCachesOwnAndAChildKeepsItsGroup() {
        Cache pass = Cache.inference();
        assertSame(pass.child("ln_f").gradient("dx", 4), pass.child("ln_f").tensor("dx", 4));
        pass.child("h0", 0);
        assertThrows(IllegalStateException.class, () -> pass.child("h0", 1));
    }
}
