package io.sparklm.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklm.nn.Activation;
import io.sparklm.nn.Block;
import io.sparklm.nn.Parameter;
import io.sparklm.nn.PositionalEncoding;
import io.sparklm.tensor.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HuggingFaceBertTest {
    private static final ModelConfig CONFIG = new ModelConfig(20, 8, 2, 2, 6, 12, 0.0, Activation.GELU, Block.Norm.POST,
            PositionalEncoding.Kind.LEARNED);

    @Test
    void tensorsCarryBertForMaskedLmNamesAndPyTorchLinearLayouts() {
        Bert bert = (Bert) new ModelSpec(ModelFamily.ENCODER, CONFIG).build(4);
        Map<String, Tensor> t = HuggingFaceBert.tensors(bert);
        Tensor cAttn = bert.parameters().get("bert.h.1.attn.c_attn.weight").value();
        Tensor key = t.get("bert.encoder.layer.1.attention.self.key.weight");
        assertArrayEquals(new int[] {6, 6}, key.shape());
        for (int out = 0; out < 6; out++) {
            for (int in = 0; in < 6; in++) {
                assertEquals(cAttn.data[in * 18 + 6 + out], key.data[out * 6 + in], "key.weight[out][in] = c_attn[in][C + out]");
            }
        }
        assertArrayEquals(new int[] {12, 6}, t.get("bert.encoder.layer.0.intermediate.dense.weight").shape());
        assertArrayEquals(new int[] {20}, t.get("cls.predictions.bias").shape());
        assertArrayEquals(new int[] {2, 6}, t.get("bert.embeddings.token_type_embeddings.weight").shape());
        for (String name : new String[] {"bert.embeddings.word_embeddings.weight", "bert.embeddings.position_embeddings.weight",
                "bert.embeddings.LayerNorm.weight", "bert.encoder.layer.0.attention.output.LayerNorm.bias",
                "bert.encoder.layer.1.output.dense.bias", "cls.predictions.transform.dense.weight",
                "cls.predictions.transform.LayerNorm.weight"}) {
            assertTrue(t.containsKey(name), name);
        }
        assertEquals(bert.parameters().all().size(), HuggingFaceBert.ourNames(CONFIG).size(), "every parameter is written");
    }

    @Test
    void loadingWhatWasWrittenRestoresEveryParameter() throws Exception {
        Bert bert = (Bert) new ModelSpec(ModelFamily.ENCODER, CONFIG).build(4);
        Bert copy = (Bert) bert.spec().blank();
        HuggingFaceBert.load(HuggingFaceBert.tensors(bert), copy, "test");
        for (Parameter p : bert.parameters().all()) {
            assertArrayEquals(p.value().data, copy.parameters().get(p.name()).value().data, 0f, p.name());
        }
    }
}
