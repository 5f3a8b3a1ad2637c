package io.sparklm.nn;

import io.sparklm.tensor.SafeTensors;
import io.sparklm.tensor.Tensor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model's {@link Parameters} stored as a safetensors file: one F32 tensor per parameter, under
 * the parameter's name (GPT-2 names where they exist), in registration order, plus string metadata.
 *
 * <p>Loading fills an existing {@code Parameters}: every parameter must be in the file with the
 * same shape. Tensors in the file that are not parameters are ignored, e.g. GPT-2's
 * {@code h.0.attn.bias} causal-mask buffers or a {@code lm_head.weight} tied to the embedding.
 * Nothing is copied unless every parameter is found and fits.
 */
public final class ParameterFile {
    private ParameterFile() {}

    /** Writes the parameters' values to {@code file} atomically (see {@link SafeTensors#write(Path)}). */
    public static void save(Parameters parameters, Map<String, String> metadata, Path file) throws IOException {
        toSafeTensors(parameters, metadata).write(file);
    }

    /** Writes the parameters' values to {@code out}, which is left open. */
    public static void save(Parameters parameters, Map<String, String> metadata, OutputStream out) throws IOException {
        toSafeTensors(parameters, metadata).write(out);
    }

    /**
     * Overwrites every parameter's value from {@code file}.
     *
     * @return the file's metadata
     * @throws IOException if the file is unreadable or not safetensors, lacks a parameter, or
     *     holds one with another shape; the parameters are then unchanged
     */
    public static Map<String, String> load(Path file, Parameters parameters) throws IOException {
        return load(SafeTensors.read(file), file.toString(), parameters);
    }

    /** As {@link #load(Path, Parameters)}, from a stream; {@code source} names it in errors. */
    public static Map<String, String> load(InputStream in, String source, Parameters parameters) throws IOException {
        return load(SafeTensors.read(in, source), source, parameters);
    }

    private static SafeTensors toSafeTensors(Parameters parameters, Map<String, String> metadata) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (Parameter p : parameters.all()) {
            tensors.put(p.name(), p.value());
        }
        return new SafeTensors(tensors, metadata);
    }

    /** As {@link #load(Path, Parameters)}, from a file already read; {@code source} names it in errors. */
    public static Map<String, String> load(SafeTensors file, String source, Parameters parameters) throws IOException {
        for (Parameter p : parameters.all()) {
            Tensor stored = file.tensors().get(p.name());
            if (stored == null) {
                throw new IOException(source + " has no tensor " + p.name() + ", a parameter of the model "
                        + "(the file holds " + file.tensors().size() + " tensors); was it saved from another model?");
            }
            if (!stored.sameShape(p.value())) {
                throw new IOException(source + ": tensor " + p.name() + " has shape " + Arrays.toString(stored.shape())
                        + ", but the model's parameter has shape " + Arrays.toString(p.value().shape())
                        + "; check that the model config matches the one the file was saved with");
            }
        }
        for (Parameter p : parameters.all()) {
            float[] stored = file.tensors().get(p.name()).data;
            System.arraycopy(stored, 0, p.value().data, 0, stored.length);
        }
        return file.metadata();
    }
}
