package io.sparklm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklm.LocalSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The RLHF chain as a scheduler runs it, shortened: {@code sparklm pipeline} over pretrain →
 * finetune → preferences → reward model → DPO → PPO in one directory, a rerun that skips every finished stage,
 * a failing stage that ends the pipeline naming it, and {@code compare}.
 */
class RlhfPipelineTest {
    @TempDir
    static Path base;

    @BeforeAll
    static void start() {
        LocalSpark.get();
    }

    private static final String TRAIN = "model.layers: 1, model.heads: 2, model.width: 16, train.workers: 2, train.rounds: 1, "
            + "train.localSteps: 4, train.batchSize: 4, train.warmup: 1, train.evalBlocks: 50";

    private static Path config(String dir, String extraStage) throws IOException {
        return Files.writeString(base.resolve("rlhf-" + Math.abs(dir.hashCode()) + ".yaml"), String.join("\n",
                "pipeline: {dir: " + dir + "}",
                "stages:",
                "  - {name: corpus, command: tokenize, settings: {data.input: embedded, data.output: \"${dir}/corpus\", shards.blockSize: 24}}",
                "  - {name: pretrain, command: pretrain, settings: {data.shards: \"${dir}/corpus\", run.dir: \"${dir}/pretrain\", run.samples: 0, "
                        + TRAIN + "}}",
                "  - {name: sft-data, command: tokenize, settings: {data.input: europarl-prompts, data.output: \"${dir}/sft-data\", "
                        + "tokenizer.kind: file, tokenizer.path: \"${dir}/corpus/tokenizer.json\", shards.blockSize: 24}}",
                "  - {name: finetune, command: finetune, settings: {data.shards: \"${dir}/sft-data\", run.dir: \"${dir}/sft\", "
                        + "init.model: \"${dir}/pretrain/model\", run.samples: 0, " + TRAIN + "}}",
                "  - {name: preferences, command: preferences, settings: {policy.model: \"${dir}/sft/model\", data.output: \"${dir}/preferences\", "
                        + "data.maxPrompts: 60, sample.maxTokens: 8}}",
                "  - {name: preference-data, command: tokenize, settings: {data.input: \"${dir}/preferences/pairs\", data.format: jsonl, "
                        + "data.fields: \"prompt,chosen,rejected\", data.output: \"${dir}/preference-data\", tokenizer.kind: file, "
                        + "tokenizer.path: \"${dir}/corpus/tokenizer.json\", shards.blockSize: 24, shards.valFraction: 0.3}}",
                "  - {name: reward, command: reward-train, settings: {data.shards: \"${dir}/preference-data\", run.dir: \"${dir}/reward\", "
                        + "init.model: \"${dir}/sft/model\", " + TRAIN + "}}",
                extraStage));
    }

    @Test
    void theChainRunsOnceAndARerunSkipsEveryFinishedStage() throws IOException {
        String dir = base.resolve("run").toString();
        Path file = config(dir, "  - {name: dpo, command: dpo, settings: {data.shards: \"${dir}/preference-data\", run.dir: \"${dir}/dpo\", "
                + "init.model: \"${dir}/sft/model\", run.samples: 0, " + TRAIN + "}}\n"
                + "  - {name: ppo, command: ppo, settings: {data.shards: \"${dir}/sft-data\", init.model: \"${dir}/sft/model\", "
                + "reward.model: \"${dir}/reward/model\", run.dir: \"${dir}/ppo\", ppo.iterations: 2, ppo.prompts: 8, ppo.maxTokens: 4, "
                + "train.workers: 2, train.batchSize: 4}}");
        MainTest.Outcome first = MainTest.run("pipeline", "--config", file.toString());
        assertEquals(0, first.status(), first.err());
        assertTrue(first.out().contains("pipeline: 9 stages done"), first.out());
        for (String stage : new String[] {"corpus", "pretrain", "sft-data", "finetune", "preferences", "preference-data", "reward", "dpo",
                "ppo"}) {
            assertTrue(Files.exists(Path.of(dir, "stages", stage + ".done")), stage);
        }
        java.util.List<int[]> loaded = new java.util.ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+) of (\\d+) parameter tensors from").matcher(first.out());
        while (m.find()) {
            loaded.add(new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))});
        }
        assertEquals(3, loaded.size(), first.out());
        assertEquals(loaded.get(0)[1], loaded.get(0)[0], "finetune starts every tensor from the pretrained GPT");
        assertEquals(loaded.get(0)[0], loaded.get(1)[0], "the reward model's body starts from the policy's");
        assertEquals(loaded.get(1)[0] + 2, loaded.get(1)[1], "and its score head (weight, bias) starts fresh");
        assertTrue(Files.readString(Path.of(dir, "reward", "eval.json")).contains("\"pairwise_accuracy\""));

        MainTest.Outcome again = MainTest.run("pipeline", "--config", file.toString());
        assertEquals(0, again.status(), again.err());
        assertEquals(9, again.out().split("is done", -1).length - 1, again.out());
        java.util.List<String> ppo = Files.readAllLines(Path.of(dir, "ppo", "ppo-metrics.jsonl"));
        assertEquals(2, ppo.size());
        for (String key : new String[] {"mean_reward", "kl", "clip_fraction", "value_loss", "entropy", "response_length"}) {
            assertTrue(ppo.get(1).contains("\"" + key + "\""), key + " in " + ppo.get(1));
        }
        double firstKl = Double.parseDouble(ppo.get(0).replaceAll(".*\"kl\":([-0-9.Ee]+).*", "$1"));
        assertEquals(0, firstKl, 1e-5, "the first iteration samples from the reference itself: " + ppo.get(0));
        assertTrue(Files.exists(Path.of(dir, "ppo", "ppo.png")) && Files.exists(Path.of(dir, "ppo", "model", "model.safetensors")));
        assertTrue(Files.readString(Path.of(dir, "dpo", "eval.json")).contains("\"implicit_reward_accuracy\""));

        MainTest.Outcome charShards = MainTest.run("tokenize", "data.input=europarl-prompts", "data.output=" + dir + "/bad-shards",
                "tokenizer.kind=bpe", "tokenizer.vocabSize=300", "shards.blockSize=24");
        assertEquals(0, charShards.status(), charShards.err());
        Path missing = Files.writeString(base.resolve("missing-field.jsonl"), "{\"prompt\": \"the\", \"chosen\": \"council\"}\n");
        MainTest.Outcome noRejected = MainTest.run("tokenize", "data.input=" + missing, "data.format=jsonl", "data.fields=prompt,chosen,rejected",
                "data.output=" + dir + "/bad-pairs", "tokenizer.kind=file", "tokenizer.path=" + dir + "/corpus/tokenizer.json");
        assertEquals(2, noRejected.status());
        assertTrue(noRejected.err().contains("no field \"rejected\""), noRejected.err());
        MainTest.Outcome notReward = MainTest.run("ppo", "data.shards=" + dir + "/sft-data", "init.model=" + dir + "/sft/model",
                "reward.model=" + dir + "/sft/model", "run.dir=" + dir + "/bad-ppo");
        assertEquals(2, notReward.status());
        assertTrue(notReward.err().contains("not a reward model"), notReward.err());
        MainTest.Outcome otherTokenizer = MainTest.run("ppo", "data.shards=" + dir + "/bad-shards", "init.model=" + dir + "/sft/model",
                "reward.model=" + dir + "/reward/model", "run.dir=" + dir + "/bad-ppo");
        assertEquals(2, otherTokenizer.status());
        assertTrue(otherTokenizer.err().contains("another tokenizer"), otherTokenizer.err());
        MainTest.Outcome sftOtherTokenizer = MainTest.run("finetune", "data.shards=" + dir + "/bad-shards", "init.model=" + dir + "/sft/model",
                "run.dir=" + dir + "/bad-sft-tokenizer");
        assertEquals(2, sftOtherTokenizer.status());
        assertTrue(sftOtherTokenizer.err().contains("init.model " + dir + "/sft/model was trained with another tokenizer"),
                sftOtherTokenizer.err());

        Path charReward = base.resolve("char-reward");
        io.sparklm.train.ModelDirectory.save(charReward, new io.sparklm.model.ModelSpec(io.sparklm.model.ModelFamily.REWARD,
                io.sparklm.model.ModelConfig.gpt(30, 16, 1, 2, 8)).build(1), io.sparklm.data.tokenizer.CharTokenizer.fit("abcdefghij klmnop"));
        MainTest.Outcome rewardTokenizer = MainTest.run("ppo", "data.shards=" + dir + "/sft-data", "init.model=" + dir + "/sft/model",
                "reward.model=" + charReward, "run.dir=" + dir + "/bad-ppo");
        assertEquals(2, rewardTokenizer.status());
        assertTrue(rewardTokenizer.err().contains("uses another tokenizer than the policy"), rewardTokenizer.err());

        MainTest.Outcome rewardAsPolicy = MainTest.run("preferences", "policy.model=" + dir + "/reward/model",
                "data.output=" + dir + "/bad-preferences");
        assertEquals(2, rewardAsPolicy.status());
        assertTrue(rewardAsPolicy.err().contains("needs a decoder (GPT) model"), rewardAsPolicy.err());
        MainTest.Outcome oddResponses = MainTest.run("preferences", "policy.model=" + dir + "/sft/model", "preferences.responses=3",
                "data.output=" + dir + "/bad-preferences");
        assertEquals(2, oddResponses.status());
        assertTrue(oddResponses.err().contains("preferences.responses must be even"), oddResponses.err());
        MainTest.Outcome noPolicy = MainTest.run("compare", "compare.a=" + dir + "/sft/model", "compare.b=" + dir + "/nowhere",
                "data.output=" + dir + "/bad-compare");
        assertEquals(2, noPolicy.status());
        assertTrue(noPolicy.err().contains(dir + "/nowhere"), noPolicy.err());
        MainTest.Outcome sftOnBlocks = MainTest.run("finetune", "data.shards=" + dir + "/corpus", "run.dir=" + dir + "/bad-sft");
        assertEquals(2, sftOnBlocks.status());
        assertTrue(sftOnBlocks.err().contains("data.fields=A,B"), sftOnBlocks.err());
        MainTest.Outcome rewardOnPairs = MainTest.run("reward-train", "data.shards=" + dir + "/sft-data", "run.dir=" + dir + "/bad-reward");
        assertEquals(2, rewardOnPairs.status());
        assertTrue(rewardOnPairs.err().contains("data.fields=PROMPT,CHOSEN,REJECTED"), rewardOnPairs.err());

        MainTest.Outcome itself = MainTest.run("compare", "compare.a=" + dir + "/sft/model", "compare.b=" + dir + "/sft/model",
                "data.output=" + dir + "/compare", "data.skipPrompts=60", "data.maxPrompts=20", "sample.maxTokens=6");
        assertEquals(0, itself.status(), itself.err());
        assertTrue(itself.out().contains("win_rate: 0.5000") && itself.out().contains("kl: 0.0000"),
                "a policy against itself on the same seeds: every response ties, no divergence: " + itself.out());
    }

    @Test
    void aFailingStageEndsThePipelineNamingIt() throws IOException {
        String dir = base.resolve("failing").toString();
        Path file = Files.writeString(base.resolve("failing.yaml"), String.join("\n",
                "pipeline: {dir: " + dir + "}",
                "stages:",
                "  - {name: shards, command: tokenize, settings: {data.input: \"${dir}/missing.txt\", data.output: \"${dir}/out\"}}",
                "  - {name: never, command: pretrain, settings: {data.shards: \"${dir}/out\"}}"));
        MainTest.Outcome run = MainTest.run("pipeline", "--config", file.toString());
        assertEquals(2, run.status());
        assertTrue(run.err().contains("stage shards (tokenize) failed"), run.err());
        assertTrue(!Files.exists(Path.of(dir, "stages", "never.done")));
    }
}
