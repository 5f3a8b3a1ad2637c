package io.sparklm.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklm.LocalSpark;
import io.sparklm.train.ModelDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every objective end to end through the commands on Spark (2 workers, local mode): tokenize, pretrain
 * with a checkpoint, resume to exactly the parameters of the uninterrupted run, the validation scores
 * in eval.json, and the saved model loading back as its family.
 */
class FamiliesPipelineTest {
    @TempDir
    static Path base;

    @BeforeAll
    static void start() {
        LocalSpark.get();
    }

    /** JSONL of {@code n} records: {"text": "the cat sat", "label": "cat"}-like, or pairs of a phrase and the phrase reversed. */
    private static Path records(String name, int n, boolean labelled) throws IOException {
        String[] animals = {"cat", "dog", "bird", "fish"};
        String[] verbs = {"sat on", "looked at", "ran to", "slept near"};
        String[] places = {"the mat", "a tree", "the house", "the river"};
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String animal = animals[i % 4];
            String phrase = "the " + animal + " " + verbs[(i / 4) % 4] + " " + places[(i / 16) % 4];
            String second = labelled ? animal : new StringBuilder(phrase).reverse().toString();
            lines.add(labelled ? "{\"text\": \"" + phrase + "\", \"label\": \"" + second + "\"}"
                    : "{\"source\": \"" + phrase + "\", \"target\": \"" + second + "\"}");
        }
        return Files.write(base.resolve(name + ".jsonl"), lines);
    }

    private static MainTest.Outcome pretrain(String objective, String shards, String run, int rounds, String... extra) {
        List<String> args = new ArrayList<>(List.of("pretrain", "objective=" + objective, "data.shards=" + shards, "run.dir=" + run,
                "model.layers=1", "model.heads=2", "model.width=16", "train.workers=2", "train.rounds=" + rounds, "train.localSteps=3",
                "train.batchSize=4", "train.lr=3e-3", "train.warmup=2", "train.scheduleSteps=12", "train.evalEvery=1",
                "train.checkpointEvery=1", "train.evalBlocks=20", "run.samples=0"));
        args.addAll(List.of(extra));
        return MainTest.run(args.toArray(String[]::new));
    }

    /** Pretrains 2 rounds straight, and 1 round then a resume to 2, and compares the checkpoints' parameters. */
    private static Path trainAndResume(String objective, String shards, String... extra) throws IOException {
        String straight = base.resolve(objective + "-straight").toString();
        MainTest.Outcome full = pretrain(objective, shards, straight, 2, extra);
        assertEquals(0, full.status(), full.err());
        assertTrue(full.out().contains(objective + " objective"), full.out());
        String split = base.resolve(objective + "-resumed").toString();
        MainTest.Outcome first = pretrain(objective, shards, split, 1, extra);
        assertEquals(0, first.status(), first.err());
        List<String> resumeArgs = new ArrayList<>(List.of(extra));
        resumeArgs.add("run.resume=true");
        MainTest.Outcome resumed = pretrain(objective, shards, split, 2, resumeArgs.toArray(String[]::new));
        assertEquals(0, resumed.status(), resumed.err());
        assertTrue(resumed.out().contains("from round 1"), resumed.out());
        assertArrayEquals(ModelDirectory.load(Path.of(straight, "model")).model().parameters().flatten(),
                ModelDirectory.load(Path.of(split, "model")).model().parameters().flatten(), 0f,
                objective + ": resumed from round 1, the same parameters as the run without a break");
        return Path.of(straight);
    }

    private static String tokenize(String name, String... args) {
        String out = base.resolve(name).toString();
        List<String> all = new ArrayList<>(List.of("tokenize", "data.output=" + out, "shards.valFraction=0.2"));
        all.addAll(List.of(args));
        MainTest.Outcome tok = MainTest.run(all.toArray(String[]::new));
        assertEquals(0, tok.status(), tok.err());
        return out;
    }

    @Test
    void maskedLmOnWordPieceShards() throws IOException {
        Path corpus = Files.writeString(base.resolve("corpus.txt"), PipelineTest.corpus());
        String shards = tokenize("mlm", "data.input=" + corpus, "tokenizer.kind=wordpiece", "tokenizer.vocabSize=60", "shards.blockSize=16");
        Path run = trainAndResume("mlm", shards, "model.norm=post");
        String eval = Files.readString(run.resolve("eval.json"));
        assertTrue(eval.contains("\"unigram_loss\"") && eval.contains("\"val_loss\""), eval);
        assertEquals("ENCODER", ModelDirectory.load(run.resolve("model")).model().spec().family().name());
    }

    @Test
    void classificationWithClassWeightsOnLabelledRecords() throws IOException {
        String shards = tokenize("classify", "data.input=" + records("labelled", 120, true), "data.format=jsonl", "data.fields=text,label",
                "data.labelField=label", "shards.blockSize=32");
        Path run = trainAndResume("classify", shards, "classify.classWeights=true");
        String eval = Files.readString(run.resolve("eval.json"));
        assertTrue(eval.contains("\"macro_f1\"") && eval.contains("\"majority_macro_f1\""), eval);
    }

    @Test
    void contrastiveAndSequenceToSequenceOnPairs() throws IOException {
        String shards = tokenize("pairs", "data.input=" + records("pairs", 120, false), "data.format=jsonl", "data.fields=source,target",
                "shards.blockSize=40");
        String contrastive = Files.readString(trainAndResume("contrastive", shards, "contrastive.candidates=8").resolve("eval.json"));
        assertTrue(contrastive.contains("\"mrr\"") && contrastive.contains("\"chance_mrr\""), contrastive);
        String seq2seq = Files.readString(trainAndResume("seq2seq", shards).resolve("eval.json"));
        assertTrue(seq2seq.contains("\"bleu\"") && seq2seq.contains("\"copy_bleu\""), seq2seq);
    }

    @Test
    void anObjectiveOnShardsOfTheWrongKindNamesWhatToTokenize() throws IOException {
        String shards = tokenize("wrong", "data.input=" + records("wrong", 40, true), "data.format=jsonl", "data.fields=text,label",
                "data.labelField=label", "shards.blockSize=32");
        MainTest.Outcome clm = pretrain("clm", shards, base.resolve("wrong-clm").toString(), 1);
        assertEquals(2, clm.status());
        assertTrue(clm.err().contains("token blocks"), clm.err());
        MainTest.Outcome contrastive = pretrain("contrastive", shards, base.resolve("wrong-contrastive").toString(), 1);
        assertEquals(2, contrastive.status());
        assertTrue(contrastive.err().contains("data.fields=A,B"), contrastive.err());
        MainTest.Outcome unknown = pretrain("nsp", shards, base.resolve("wrong-nsp").toString(), 1);
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().contains("clm, mlm, classify, contrastive, seq2seq"), unknown.err());
    }
}
