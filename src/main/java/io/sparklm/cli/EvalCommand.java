package io.sparklm.cli;

import io.sparklm.data.corpus.TextCorpus;
import io.sparklm.optim.Schedule;
import io.sparklm.optim.Sgd;
import io.sparklm.train.LocalTrainer;
import io.sparklm.train.LossSum;
import io.sparklm.train.ModelDirectory;
import java.nio.file.Path;
import java.util.Map;

/** {@code sparklm eval}: mean cross-entropy and perplexity of a saved model over the first N blocks of a text. */
final class EvalCommand implements Main.Command {
    @Override
    public String summary() {
        return "print the mean loss of a saved model over the first N blocks of a text file";
    }

    @Override
    public Map<String, String> defaults() {
        return Map.of("model", "runs/local", "text", "", "blocks", "100", "batch", "12");
    }

    @Override
    public void run(Options o) throws Exception {
        if (!o.isSet("text")) {
            throw new IllegalArgumentException("--text FILE is required");
        }
        ModelDirectory.Loaded loaded = ModelDirectory.load(Path.of(o.string("model")));
        int[] ids = loaded.tokenizer().encode(TextCorpus.read(Path.of(o.string("text"))));
        LocalTrainer evaluator = new LocalTrainer(loaded.decoder("eval"), new Sgd(),
                new LocalTrainer.Settings(o.integer("batch"), Schedule.constant(0), 0, 0));
        LossSum loss = evaluator.evaluate(ids, o.integer("blocks"));
        System.out.printf("mean_loss: %.6f%nperplexity: %.4f%n", loss.mean(), loss.perplexity());
    }
}
