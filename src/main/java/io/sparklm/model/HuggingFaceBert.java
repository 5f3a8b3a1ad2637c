package io.sparklm.model;

import io.sparklm.nn.Block;
import io.sparklm.tensor.Tensor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A post-LN {@link Bert}'s parameters under the tensor names and layouts of Hugging Face's
 * {@code BertForMaskedLM}, and back. Linear weights are stored [out, in] there (PyTorch's
 * {@code nn.Linear}) and [in, out] here, so each is transposed; the fused {@code c_attn} [C, 3C]
 * is split into {@code attention.self.query}, {@code key} and {@code value}. Per layer i:
 * <pre>
 *   bert.h.i.attn.c_attn      → bert.encoder.layer.i.attention.self.{query,key,value}
 *   bert.h.i.attn.c_proj      → bert.encoder.layer.i.attention.output.dense
 *   bert.h.i.ln_1             → bert.encoder.layer.i.attention.output.LayerNorm
 *   bert.h.i.mlp.c_fc         → bert.encoder.layer.i.intermediate.dense
 *   bert.h.i.mlp.c_proj       → bert.encoder.layer.i.output.dense
 *   bert.h.i.ln_2             → bert.encoder.layer.i.output.LayerNorm
 * </pre>
 * and {@code bert.wte, bert.wpe, bert.ln_emb} → {@code bert.embeddings.word_embeddings,
 * position_embeddings, LayerNorm}; {@code cls.transform.dense, cls.transform.ln, cls.bias} →
 * {@code cls.predictions.transform.dense, transform.LayerNorm, predictions.bias}. The decoder is
 * tied to the word embeddings, so {@code cls.predictions.decoder.weight} is not written. sparklm has
 * no segment embeddings: {@code bert.embeddings.token_type_embeddings.weight} is written as zeros
 * [2, C], which add nothing, and ignored on reading. LayerNorm gains and shifts are {@code weight}
 * and {@code bias}, as in current Hugging Face files.
 */
public final class HuggingFaceBert {
    private HuggingFaceBert() {
    }

    /** How a tensor is stored there: as is, transposed, or one third of a fused [C, 3C] (its columns part·C … (part+1)·C). */
    private record Entry(String ours, String theirs, boolean transpose, int part) {
    }

    /** Whether {@code bert} can be written in this layout: BERT's own post-LN shape. */
    public static boolean fits(Bert bert) {
        return bert.config().norm() == Block.Norm.POST;
    }

    /** The model's tensors under Hugging Face's names and layouts. */
    public static Map<String, Tensor> tensors(Bert bert) {
        requireFits(bert);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Entry e : entries(bert.config())) {
            out.put(e.theirs(), exported(bert.parameters().get(e.ours()).value(), e));
        }
        out.put("bert.embeddings.token_type_embeddings.weight", Tensor.zeros(2, bert.config().width()));
        return out;
    }

    /** Loads Hugging Face-named tensors into {@code bert}; every one it needs must be there with its shape. */
    public static void load(Map<String, Tensor> tensors, Bert bert, String source) throws IOException {
        requireFits(bert);
        List<Entry> entries = entries(bert.config());
        for (Entry e : entries) {
            Tensor t = tensors.get(e.theirs());
            Tensor expected = exported(bert.parameters().get(e.ours()).value(), e);
            if (t == null || !t.sameShape(expected)) {
                throw new IOException(source + ": " + (t == null ? "no tensor " + e.theirs() : "tensor " + e.theirs() + " has shape "
                        + java.util.Arrays.toString(t.shape()) + ", not " + java.util.Arrays.toString(expected.shape()))
                        + "; was it saved from a BERT of this config?");
            }
        }
        for (Entry e : entries) {
            imported(tensors.get(e.theirs()), bert.parameters().get(e.ours()).value(), e);
        }
    }

    private static void requireFits(Bert bert) {
        if (!fits(bert)) {
            throw new IllegalArgumentException("only a post-LN BERT has Hugging Face's BertForMaskedLM layout; this one is "
                    + bert.config().norm());
        }
    }

    private static List<Entry> entries(ModelConfig config) {
        List<Entry> e = new ArrayList<>();
        e.add(new Entry("bert.wte.weight", "bert.embeddings.word_embeddings.weight", false, -1));
        if (config.positions() == io.sparklm.nn.PositionalEncoding.Kind.LEARNED) {
            e.add(new Entry("bert.wpe.weight", "bert.embeddings.position_embeddings.weight", false, -1));
        }
        layerNorm(e, "bert.ln_emb", "bert.embeddings.LayerNorm");
        for (int i = 0; i < config.layers(); i++) {
            String ours = "bert.h." + i + ".";
            String theirs = "bert.encoder.layer." + i + ".";
            String[] qkv = {"query", "key", "value"};
            for (int part = 0; part < 3; part++) {
                e.add(new Entry(ours + "attn.c_attn.weight", theirs + "attention.self." + qkv[part] + ".weight", true, part));
                e.add(new Entry(ours + "attn.c_attn.bias", theirs + "attention.self." + qkv[part] + ".bias", false, part));
            }
            linear(e, ours + "attn.c_proj", theirs + "attention.output.dense");
            layerNorm(e, ours + "ln_1", theirs + "attention.output.LayerNorm");
            linear(e, ours + "mlp.c_fc", theirs + "intermediate.dense");
            linear(e, ours + "mlp.c_proj", theirs + "output.dense");
            layerNorm(e, ours + "ln_2", theirs + "output.LayerNorm");
        }
        linear(e, "cls.transform.dense", "cls.predictions.transform.dense");
        layerNorm(e, "cls.transform.ln", "cls.predictions.transform.LayerNorm");
        e.add(new Entry("cls.bias", "cls.predictions.bias", false, -1));
        return e;
    }

    private static void linear(List<Entry> e, String ours, String theirs) {
        e.add(new Entry(ours + ".weight", theirs + ".weight", true, -1));
        e.add(new Entry(ours + ".bias", theirs + ".bias", false, -1));
    }

    private static void layerNorm(List<Entry> e, String ours, String theirs) {
        e.add(new Entry(ours + ".weight", theirs + ".weight", false, -1));
        e.add(new Entry(ours + ".bias", theirs + ".bias", false, -1));
    }

    /** Our tensor (or its third) in their layout. */
    private static Tensor exported(Tensor ours, Entry e) {
        if (ours.rank() == 1) {
            if (e.part() < 0) {
                return Tensor.of(ours.data.clone(), ours.dim(0));
            }
            int c = ours.dim(0) / 3;
            return Tensor.of(java.util.Arrays.copyOfRange(ours.data, e.part() * c, (e.part() + 1) * c), c);
        }
        int rows = ours.dim(0);
        int cols = ours.dim(1);
        int width = e.part() < 0 ? cols : cols / 3;
        int from = e.part() < 0 ? 0 : e.part() * width;
        if (!e.transpose()) {
            return Tensor.of(ours.data.clone(), rows, cols);
        }
        Tensor t = Tensor.zeros(width, rows);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < width; c++) {
                t.data[c * rows + r] = ours.data[r * cols + from + c];
            }
        }
        return t;
    }

    /** Writes their tensor (or a third) back into ours. */
    private static void imported(Tensor theirs, Tensor ours, Entry e) {
        if (ours.rank() == 1) {
            int c = e.part() < 0 ? ours.dim(0) : ours.dim(0) / 3;
            System.arraycopy(theirs.data, 0, ours.data, Math.max(0, e.part()) * c, c);
            return;
        }
        int rows = ours.dim(0);
        int cols = ours.dim(1);
        if (!e.transpose()) {
            System.arraycopy(theirs.data, 0, ours.data, 0, ours.size());
            return;
        }
        int width = e.part() < 0 ? cols : cols / 3;
        int from = e.part() < 0 ? 0 : e.part() * width;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < width; c++) {
                ours.data[r * cols + from + c] = theirs.data[c * rows + r];
            }
        }
    }

    /** The parameters the mapping covers, for the test that every parameter is written. */
    static List<String> ourNames(ModelConfig config) {
        return entries(config).stream().map(Entry::ours).distinct().toList();
    }
}
