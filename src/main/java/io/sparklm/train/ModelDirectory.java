package io.sparklm.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparklm.data.tokenizer.Tokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import io.sparklm.model.Bert;
import io.sparklm.model.Gpt;
import io.sparklm.model.HuggingFaceBert;
import io.sparklm.model.Model;
import io.sparklm.model.ModelConfig;
import io.sparklm.model.ModelSpec;
import io.sparklm.nn.ParameterFile;
import io.sparklm.tensor.SafeTensors;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;

/**
 * A saved model: {@code DIR/model.safetensors} (the family's tensor names and layouts: GPT-2's for
 * decoders, Hugging Face's {@code BertForMaskedLM}'s for a post-LN BERT ({@link HuggingFaceBert}),
 * sparklm's own for the rest; the {@link ModelSpec} as JSON under the metadata key {@code sparklm.config}) and
 * {@code DIR/tokenizer.json}. Files written before model families existed hold a bare
 * {@link ModelConfig} there, which reads as a decoder. A directory is read from the local disk
 * ({@link #load(Path)}) or from any Hadoop FileSystem ({@link #load(org.apache.hadoop.fs.Path, Configuration)}).
 */
public final class ModelDirectory {
    public static final String MODEL_FILE = "model.safetensors";
    public static final String TOKENIZER_FILE = "tokenizer.json";
    public static final String CONFIG_KEY = "sparklm.config";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NO_MODEL = "no saved model here: expected " + MODEL_FILE + " written by pretrain or train-local";

    /** A model and the tokenizer it was trained with. */
    public record Loaded(Model model, Tokenizer tokenizer) {
        /** The model as a GPT, for the commands that generate or score text left to right. */
        public Gpt decoder(String command) {
            if (model instanceof Gpt gpt) {
                return gpt;
            }
            throw new IllegalArgumentException(command + " needs a decoder (GPT) model; this directory holds a "
                    + model.spec().family().name().toLowerCase(java.util.Locale.ROOT) + " model");
        }

        /**
         * Requires the model saved in {@code dir} (the value of {@code setting}) to have been
         * trained with the shards' {@code tokenizer}: with another, its ids would mean other tokens.
         */
        public void requireTokenizerOf(String setting, Path dir, Tokenizer shards) {
            if (!tokenizer.hash().equals(shards.hash())) {
                throw new IllegalArgumentException(setting + " " + dir + " was trained with another tokenizer (" + tokenizer.hash()
                        + ") than these shards (" + shards.hash() + "): tokenize with tokenizer.kind=file tokenizer.path="
                        + dir.resolve(TOKENIZER_FILE));
            }
        }
    }

    private ModelDirectory() {
    }

    /** The safetensors metadata of a model file: the format and the spec. */
    static Map<String, String> metadata(ModelSpec spec) throws IOException {
        return Map.of("format", "pt", CONFIG_KEY, JSON.writeValueAsString(spec));
    }

    /** The spec recorded as JSON: a {@link ModelSpec}, or a bare {@link ModelConfig} (a decoder). */
    static ModelSpec specFromJson(JsonNode json) throws IOException {
        if (json.has("family")) {
            return JSON.treeToValue(json, ModelSpec.class);
        }
        return ModelSpec.decoder(JSON.treeToValue(json, ModelConfig.class));
    }

    public static void save(Path dir, Model model, Tokenizer tokenizer) throws IOException {
        Files.createDirectories(dir);
        if (model instanceof Bert bert && HuggingFaceBert.fits(bert)) {
            new SafeTensors(HuggingFaceBert.tensors(bert), metadata(model.spec())).write(dir.resolve(MODEL_FILE));
        } else {
            ParameterFile.save(model.parameters(), metadata(model.spec()), dir.resolve(MODEL_FILE));
        }
        tokenizer.save(dir.resolve(TOKENIZER_FILE));
    }

    /**
     * Copies into {@code model} every tensor of the model saved in {@code dir} whose name and shape
     * are those of one of its parameters (its own, not Hugging Face's, names), leaving the others as
     * they are: how a fine-tuning run starts from a pretrained body.
     *
     * @return the number of parameters copied
     * @throws IllegalArgumentException when the saved model's tokenizer is not {@code tokenizer}
     *     ({@link Loaded#requireTokenizerOf})
     * @throws IOException when no parameter matches
     */
    public static int initialise(Path dir, Model model, Tokenizer tokenizer) throws IOException {
        Loaded saved = load(dir);
        saved.requireTokenizerOf("init.model", dir, tokenizer);
        int copied = model.parameters().copyMatchingFrom(saved.model().parameters());
        if (copied == 0) {
            throw new IOException("init.model " + dir + " holds a " + saved.model().spec().family() + " model with no parameter of the name "
                    + "and shape of this " + model.spec().family() + " model's; check model.* against the saved model's config");
        }
        return copied;
    }

    public static Loaded load(Path dir) throws IOException {
        Path file = dir.resolve(MODEL_FILE);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString(), null, NO_MODEL);
        }
        return new Loaded(model(SafeTensors.read(file), file.toString()), Tokenizer.load(dir.resolve(TOKENIZER_FILE)));
    }

    /**
     * As {@link #load(Path)}, from a directory on any Hadoop FileSystem ({@code hdfs://}, {@code s3a://},
     * {@code file://}; a plain path is on the default FileSystem of {@code conf}), read through its streams.
     */
    public static Loaded load(org.apache.hadoop.fs.Path dir, Configuration conf) throws IOException {
        FileSystem fs = dir.getFileSystem(conf);
        org.apache.hadoop.fs.Path file = modelFile(fs, dir);
        org.apache.hadoop.fs.Path tokenizerFile = new org.apache.hadoop.fs.Path(dir, TOKENIZER_FILE);
        SafeTensors tensors;
        try (InputStream in = fs.open(file)) {
            tensors = SafeTensors.read(in, file.toString());
        }
        try (InputStream in = fs.open(tokenizerFile)) {
            return new Loaded(model(tensors, file.toString()), Tokenizer.read(in, tokenizerFile.toString()));
        }
    }

    /** The spec of the model saved in {@code dir} on any Hadoop FileSystem, reading only the header of its model file. */
    public static ModelSpec spec(org.apache.hadoop.fs.Path dir, Configuration conf) throws IOException {
        FileSystem fs = dir.getFileSystem(conf);
        org.apache.hadoop.fs.Path file = modelFile(fs, dir);
        try (InputStream in = fs.open(file)) {
            return spec(SafeTensors.readMetadata(in, file.toString()), file.toString());
        }
    }

    /** Copies a saved model's two files, {@value #MODEL_FILE} and {@value #TOKENIZER_FILE}, from {@code from} to {@code to}, on any Hadoop FileSystems. */
    public static void copy(org.apache.hadoop.fs.Path from, org.apache.hadoop.fs.Path to, Configuration conf) throws IOException {
        FileSystem source = from.getFileSystem(conf);
        modelFile(source, from);
        FileSystem target = to.getFileSystem(conf);
        for (String name : new String[] {MODEL_FILE, TOKENIZER_FILE}) {
            FileUtil.copy(source, new org.apache.hadoop.fs.Path(from, name), target, new org.apache.hadoop.fs.Path(to, name), false, conf);
        }
    }

    /** {@code dir}'s model file, which must exist. */
    private static org.apache.hadoop.fs.Path modelFile(FileSystem fs, org.apache.hadoop.fs.Path dir) throws IOException {
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(dir, MODEL_FILE);
        if (!fs.isFile(file)) {
            throw new FileNotFoundException(file + ": " + NO_MODEL);
        }
        return file;
    }

    /** The spec recorded in a model file's metadata; {@code source} names the file in errors. */
    private static ModelSpec spec(Map<String, String> metadata, String source) throws IOException {
        String configJson = metadata.get(CONFIG_KEY);
        if (configJson == null) {
            throw new IOException(source + ": metadata has no " + CONFIG_KEY + " entry, so the model shape is unknown");
        }
        return specFromJson(JSON.readTree(configJson));
    }

    /** The model a model file holds, in the layout of its family. */
    private static Model model(SafeTensors file, String source) throws IOException {
        Model model = spec(file.metadata(), source).blank();
        if (model instanceof Bert bert && HuggingFaceBert.fits(bert)) {
            HuggingFaceBert.load(file.tensors(), bert, source);
        } else {
            ParameterFile.load(file, source, model.parameters());
        }
        return model;
    }
}
