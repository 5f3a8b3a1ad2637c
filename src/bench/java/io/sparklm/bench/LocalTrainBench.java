package io.sparklm.bench;

import io.sparklm.model.Gpt;
import io.sparklm.model.ModelConfig;
import io.sparklm.optim.AdamW;
import io.sparklm.optim.Schedule;
import io.sparklm.objective.Examples;
import io.sparklm.train.LocalTrainer;
import java.nio.file.Path;

/**
 * The nanoGPT CPU configuration on a character corpus, timed as shared/reference/torch_gpt.py
 * times it: 4 layers, 4 heads, width 128, block 64, batch 12, AdamW (0.9, 0.99) wd 0.1, lr 1e-3
 * constant, clip 1.0, no dropout; 90/10 split; train and val loss over 50 random batches after.
 *
 * <p>Usage: {@code LocalTrainBench CORPUS [ITERS]}. Prints one {@code key: value} figure per line.
 */
public final class LocalTrainBench {
    private LocalTrainBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: LocalTrainBench CORPUS [ITERS]");
            System.exit(2);
        }
        int iters = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
        BenchmarkCorpus corpus = BenchmarkCorpus.read(Path.of(args[0]));
        int[] train = corpus.train();
        int[] val = corpus.val();

        ModelConfig config = ModelConfig.gpt(corpus.tokenizer().vocabSize(), 64, 4, 4, 128);
        Gpt model = new Gpt(config, 1337);
        LocalTrainer trainer = new LocalTrainer(model, new AdamW(0.9, 0.99, 1e-8, 0.1),
                new LocalTrainer.Settings(12, Schedule.constant(1e-3), 1.0, 1337));
        Examples trainBatches = Examples.of(train);
        Examples valBatches = Examples.of(val);

        long start = System.nanoTime();
        double loss = Double.NaN;
        for (int i = 0; i < iters; i++) {
            loss = trainer.trainStep(trainBatches).loss();
            if ((i + 1) % 250 == 0) {
                System.err.printf("step %d/%d loss %.4f%n", i + 1, iters, loss);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.println("params: " + model.parameters().count());
        System.out.println("iters: " + iters);
        System.out.printf("train_seconds: %.2f%n", seconds);
        System.out.printf("tokens_per_second: %.1f%n", iters * 12 * 64 / seconds);
        System.out.printf("last_batch_loss: %.4f%n", loss);
        System.out.printf("train_loss: %.4f%n", trainer.estimate(trainBatches, 50, 7));
        System.out.printf("val_loss: %.4f%n", trainer.estimate(valBatches, 50, 8));
    }
}
