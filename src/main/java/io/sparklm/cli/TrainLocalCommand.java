package io.sparklm.cli;

import io.sparklm.data.corpus.EmbeddedCorpus;
import io.sparklm.data.corpus.TextCorpus;
import io.sparklm.data.tokenizer.CharTokenizer;
import io.sparklm.eval.Generator;
import io.sparklm.model.Gpt;
import io.sparklm.model.ModelConfig;
import io.sparklm.optim.AdamW;
import io.sparklm.optim.Schedule;
import io.sparklm.tensor.Rng;
import io.sparklm.objective.Examples;
import io.sparklm.train.LocalTrainer;
import io.sparklm.train.ModelDirectory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/** {@code sparklm train-local}: trains a character-level GPT on one machine, saves it, prints samples. */
final class TrainLocalCommand implements Main.Command {
    @Override
    public String summary() {
        return "train a character-level GPT on a text file (default: the embedded Europarl corpus) and save it";
    }

    @Override
    public Map<String, String> defaults() {
        return Map.ofEntries(
                Map.entry("text", ""), Map.entry("out", "runs/local"), Map.entry("steps", "600"),
                Map.entry("batch", "12"), Map.entry("block", "64"), Map.entry("layers", "4"),
                Map.entry("heads", "4"), Map.entry("width", "128"), Map.entry("dropout", "0"),
                Map.entry("lr", "2e-3"), Map.entry("min-lr", "2e-4"), Map.entry("warmup", "50"),
                Map.entry("weight-decay", "0.1"), Map.entry("clip", "1.0"), Map.entry("seed", "1337"),
                Map.entry("log-every", "50"), Map.entry("samples", "2"), Map.entry("sample-tokens", "200"),
                Map.entry("temperature", "0.8"), Map.entry("top-k", "20"));
    }

    @Override
    public void run(Options o) throws Exception {
        String text = o.isSet("text") ? TextCorpus.read(Path.of(o.string("text"))) : EmbeddedCorpus.englishText();
        CharTokenizer tokenizer = CharTokenizer.fit(text);
        int[] ids = tokenizer.encode(text);
        int block = o.integer("block");
        ModelConfig config = ModelConfig.gpt(tokenizer.vocabSize(), block, o.integer("layers"), o.integer("heads"), o.integer("width"))
                .withDropout(o.number("dropout"));
        int split = (int) (0.9 * ids.length);
        if (ids.length - split < block + 1) {
            throw new IllegalArgumentException("the text has " + ids.length + " characters; its last tenth (validation) must hold"
                    + " blockSize + 1 = " + (block + 1) + ": use a longer text or a smaller --block");
        }
        Examples train = Examples.of(Arrays.copyOfRange(ids, 0, split));
        Examples val = Examples.of(Arrays.copyOfRange(ids, split, ids.length));
        Gpt model = new Gpt(config, o.integer("seed"));
        int steps = o.integer("steps");
        LocalTrainer trainer = new LocalTrainer(model, new AdamW(0.9, 0.99, 1e-8, o.number("weight-decay")),
                new LocalTrainer.Settings(o.integer("batch"),
                        Schedule.warmupCosine(o.number("lr"), o.integer("warmup"), steps, o.number("min-lr")),
                        o.number("clip"), o.integer("seed")));
        System.out.printf("train-local: %,d characters, vocabulary %d, %,d parameters, %d steps of %d×%d tokens%n",
                text.length(), tokenizer.vocabSize(), model.parameters().count(), steps, o.integer("batch"), block);

        ProgressLog progress = new ProgressLog(steps, o.integer("log-every"));
        for (int s = 0; s < steps; s++) {
            LocalTrainer.StepResult r = trainer.trainStep(train);
            progress.step(r, () -> trainer.estimate(val, 10, 99));
        }
        Path out = Path.of(o.string("out"));
        ModelDirectory.save(out, model, tokenizer);
        System.out.printf("saved %s and %s in %s%n", ModelDirectory.MODEL_FILE, ModelDirectory.TOKENIZER_FILE, out);

        Generator generator = new Generator(model);
        Rng rng = new Rng(o.integer("seed"));
        for (int i = 0; i < o.integer("samples"); i++) {
            int[] prompt = {ids[0]};
            int[] sample = generator.generate(prompt, o.integer("sample-tokens"), o.number("temperature"), o.integer("top-k"), rng);
            System.out.println("--- sample " + (i + 1) + " ---\n" + tokenizer.decode(sample));
        }
    }
}
