package io.sparklm.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparklm.data.tokenizer.Tokenizer;
import io.sparklm.model.Gpt;
import io.sparklm.model.ModelConfig;
import io.sparklm.nn.ParameterFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A saved model: {@code DIR/model.safetensors} (GPT-2 tensor names and layouts, the
 * {@link ModelConfig} as JSON under the metadata key {@code sparklm.config}) and
 * {@code DIR/tokenizer.json}.
 */
public final class ModelDirectory {
    public static final String MODEL_FILE = "model.safetensors";
    public static final String TOKENIZER_FILE = "tokenizer.json";
    public static final String CONFIG_KEY = "sparklm.config";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A model and the tokenizer it was trained with. */
    public record Loaded(Gpt model, Tokenizer tokenizer) {
    }

    private ModelDirectory() {
    }

    public static void save(Path dir, Gpt model, Tokenizer tokenizer) throws IOException {
        Files.createDirectories(dir);
        Map<String, String> metadata = Map.of("format", "pt", CONFIG_KEY, JSON.writeValueAsString(model.config()));
        ParameterFile.save(model.parameters(), metadata, dir.resolve(MODEL_FILE));
        tokenizer.save(dir.resolve(TOKENIZER_FILE));
    }

    public static Loaded load(Path dir) throws IOException {
        Path file = dir.resolve(MODEL_FILE);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, "no saved model here: expected " + MODEL_FILE + " written by train-local");
        }
        String configJson = io.sparklm.tensor.SafeTensors.readMetadata(file).get(CONFIG_KEY);
        if (configJson == null) {
            throw new IOException(file + ": metadata has no " + CONFIG_KEY + " entry, so the model shape is unknown");
        }
        Gpt model = new Gpt(JSON.readValue(configJson, ModelConfig.class), 0);
        ParameterFile.load(file, model.parameters());
        return new Loaded(model, Tokenizer.load(dir.resolve(TOKENIZER_FILE)));
    }
}
