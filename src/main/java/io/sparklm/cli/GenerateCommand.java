package io.sparklm.cli;

import io.sparklm.eval.Generator;
import io.sparklm.tensor.Rng;
import io.sparklm.train.ModelDirectory;
import java.nio.file.Path;
import java.util.Map;

/** {@code sparklm generate}: samples a continuation of a prompt from a saved model. */
final class GenerateCommand implements Main.Command {
    @Override
    public String summary() {
        return "sample text from a saved model (temperature, top-k)";
    }

    @Override
    public Map<String, String> defaults() {
        return Map.of("model", "runs/local", "prompt", "The ", "tokens", "200", "temperature", "0.8",
                "top-k", "20", "seed", "1");
    }

    @Override
    public void run(Options o) throws Exception {
        ModelDirectory.Loaded loaded = ModelDirectory.load(Path.of(o.string("model")));
        int[] prompt = loaded.tokenizer().encode(o.string("prompt"));
        int[] out = new Generator(loaded.decoder("generate")).generate(prompt, o.integer("tokens"), o.number("temperature"),
                o.integer("top-k"), new Rng(o.integer("seed")));
        System.out.println(loaded.tokenizer().decode(out));
    }
}
