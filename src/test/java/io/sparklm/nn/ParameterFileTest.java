package io.sparklm.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklm.tensor.SafeTensors;
import io.sparklm.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParameterFileTest {
    @TempDir
    Path dir;

    /** wte (V=5, C=3) and one LayerNorm, with distinct values. */
    private static Parameters smallModel(float offset) {
        Parameters params = new Parameters();
        params.add("transformer.wte.weight", false, 5, 3);
        params.add("transformer.h.0.ln_1.weight", false, 3);
        float v = offset;
        for (Parameter p : params.all()) {
            for (int i = 0; i < p.size(); i++) {
                p.value().data[i] = v++ / 7f;
            }
        }
        return params;
    }

    @Test
    void saveThenLoadRestoresEveryParameterBitExactAndReturnsTheMetadata() throws IOException {
        Parameters saved = smallModel(1);
        Path file = dir.resolve("model.safetensors");
        ParameterFile.save(saved, Map.of("format", "pt", "round", "3"), file);

        Parameters loaded = smallModel(100);
        Map<String, String> metadata = ParameterFile.load(file, loaded);

        assertEquals(Map.of("format", "pt", "round", "3"), metadata);
        assertArrayEquals(saved.flatten(), loaded.flatten());
    }

    @Test
    void tensorsThatAreNotParametersAreIgnored() throws IOException {
        Parameters source = smallModel(1);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Parameter p : source.all()) {
            tensors.put(p.name(), p.value());
        }
        tensors.put("transformer.h.0.attn.bias", Tensor.zeros(1, 1, 4, 4));
        tensors.put("lm_head.weight", source.get("transformer.wte.weight").value());
        Path file = dir.resolve("gpt2.safetensors");
        new SafeTensors(tensors, Map.of()).write(file);

        Parameters loaded = smallModel(100);
        ParameterFile.load(file, loaded);
        assertArrayEquals(source.flatten(), loaded.flatten());
    }

    @Test
    void missingParameterIsNamedWithTheFileAndNothingIsLoaded() throws IOException {
        Path file = dir.resolve("model.safetensors");
        new SafeTensors(Map.of("transformer.wte.weight", Tensor.zeros(5, 3)), Map.of()).write(file);

        Parameters model = smallModel(100);
        float[] before = model.flatten();
        String message = assertThrows(IOException.class, () -> ParameterFile.load(file, model)).getMessage();

        assertTrue(message.startsWith(file + " has no tensor transformer.h.0.ln_1.weight"), message);
        assertArrayEquals(before, model.flatten());
    }

    @Test
    void misShapedParameterNamesExpectedAndFoundShapes() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("transformer.wte.weight", Tensor.zeros(5, 3));
        tensors.put("transformer.h.0.ln_1.weight", Tensor.zeros(4));
        new SafeTensors(tensors, Map.of()).write(file);

        Parameters model = smallModel(100);
        float[] before = model.flatten();
        String message = assertThrows(IOException.class, () -> ParameterFile.load(file, model)).getMessage();

        assertTrue(message.contains(file + ": tensor transformer.h.0.ln_1.weight has shape [4], "
                + "but the model's parameter has shape [3]"), message);
        assertArrayEquals(before, model.flatten());
    }
}
