package io.sparklm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklm.LocalSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sparklm dpo} end to end on Spark: a {@code finetune} run's model is the reference and the
 * policy's start, preferences are tokenized with its tokenizer, and the run writes the held-out
 * implicit-reward accuracy to eval.json.
 */
class DpoCommandTest {
    @TempDir
    static Path base;

    @BeforeAll
    static void start() {
        LocalSpark.get();
    }

    private static final String[] ANIMALS = {"cat", "dog", "bird", "fish"};
    private static final String[] PLACES = {"mat", "tree", "house", "river"};

    /** {"prompt": "where is the cat?", "response": "on the mat"}-like lines, or with "chosen" and a "rejected" that repeats the animal. */
    private static Path jsonl(String name, int n, boolean preferences) throws IOException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String prompt = "where is the " + ANIMALS[i % 4] + "?";
            String good = "on the " + PLACES[(i / 4) % 4];
            lines.add(preferences
                    ? "{\"prompt\": \"" + prompt + "\", \"chosen\": \"" + good + "\", \"rejected\": \"" + ANIMALS[i % 4] + " " + ANIMALS[i % 4] + "\"}"
                    : "{\"prompt\": \"" + prompt + "\", \"response\": \"" + good + "\"}");
        }
        return Files.write(base.resolve(name + ".jsonl"), lines);
    }

    private static MainTest.Outcome run(String command, String shards, String run, String... extra) {
        List<String> args = new ArrayList<>(List.of(command, "data.shards=" + shards, "run.dir=" + run, "model.layers=1", "model.heads=2",
                "model.width=16", "train.workers=2", "train.rounds=2", "train.localSteps=3", "train.batchSize=4", "train.lr=3e-3",
                "train.warmup=2", "train.scheduleSteps=12", "train.evalEvery=1", "train.checkpointEvery=1", "train.evalBlocks=20",
                "run.samples=0"));
        args.addAll(List.of(extra));
        return MainTest.run(args.toArray(String[]::new));
    }

    private static String tokenize(String name, Path input, String fields, String... extra) {
        String out = base.resolve(name).toString();
        List<String> args = new ArrayList<>(List.of("tokenize", "data.input=" + input, "data.output=" + out, "data.format=jsonl",
                "data.fields=" + fields, "shards.blockSize=32", "shards.valFraction=0.2"));
        args.addAll(List.of(extra));
        MainTest.Outcome tok = MainTest.run(args.toArray(String[]::new));
        assertEquals(0, tok.status(), tok.err());
        return out;
    }

    @Test
    void dpoFromAFinetunedModelWritesTheImplicitRewardAccuracy() throws IOException {
        String sft = tokenize("sft", jsonl("sft", 64, false), "prompt,response");
        String finetuned = base.resolve("finetune").toString();
        MainTest.Outcome finetune = run("finetune", sft, finetuned);
        assertEquals(0, finetune.status(), finetune.err());
        Path model = Path.of(finetuned, "model");
        String preferences = tokenize("preferences", jsonl("preferences", 64, true), "prompt,chosen,rejected", "tokenizer.kind=file",
                "tokenizer.path=" + model.resolve("tokenizer.json"));

        MainTest.Outcome dpo = run("dpo", preferences, base.resolve("dpo").toString(), "init.model=" + model, "dpo.beta=0.5");

        assertEquals(0, dpo.status(), dpo.err());
        assertTrue(dpo.out().contains("dpo objective") && dpo.out().contains("dpo: reference log-probabilities"), dpo.out());
        String eval = Files.readString(base.resolve("dpo").resolve("eval.json"));
        assertTrue(eval.contains("\"objective\" : \"dpo\"") && eval.contains("\"implicit_reward_accuracy\"")
                && eval.contains("\"implicit_reward_margin\""), eval);

        MainTest.Outcome noReference = run("dpo", preferences, base.resolve("dpo-no-reference").toString());
        assertEquals(2, noReference.status(), noReference.out());
        assertTrue(noReference.err().contains("init.model"), noReference.err());
        MainTest.Outcome otherShape = run("dpo", preferences, base.resolve("dpo-other-shape").toString(), "init.model=" + model, "model.width=32");
        assertEquals(2, otherShape.status(), otherShape.out());
        assertTrue(otherShape.err().contains("model.*"), otherShape.err());
    }
}
