package io.sparklm.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
    /** Exit status and everything printed by one command line. */
    record Outcome(int status, String out, String err) {
    }

    static Outcome run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int status = Main.run(args);
            return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void trainLocalThenEvalThenGenerate(@TempDir Path dir) throws Exception {
        Path text = dir.resolve("corpus.txt");
        Files.writeString(text, "to be or not to be, that is the question. ".repeat(40));
        Path model = dir.resolve("model");
        Outcome train = run("train-local", "--text", text.toString(), "--out", model.toString(), "--steps", "60",
                "--block", "16", "--layers", "1", "--heads", "2", "--width", "16", "--log-every", "20",
                "--samples", "1", "--sample-tokens", "20");
        assertEquals(0, train.status(), train.err());
        assertTrue(train.out().contains("step 60/60"), train.out());
        assertTrue(Files.exists(model.resolve("model.safetensors")));
        assertTrue(Files.exists(model.resolve("tokenizer.json")));

        Outcome eval = run("eval", "--model", model.toString(), "--text", text.toString(), "--blocks", "5");
        assertEquals(0, eval.status(), eval.err());
        double loss = Double.parseDouble(eval.out().lines().filter(l -> l.startsWith("mean_loss:")).findFirst().orElseThrow().split(" ")[1]);
        assertTrue(loss < Math.log(15), "mean loss " + loss + " is no better than uniform");

        Outcome gen = run("generate", "--model", model.toString(), "--prompt", "to be", "--tokens", "10");
        assertEquals(0, gen.status(), gen.err());
        assertTrue(gen.out().startsWith("to be"), gen.out());
    }

    @Test
    void badInputExitsWithStatusTwoAndNamesTheProblem(@TempDir Path dir) throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.txt"));
        Outcome e1 = run("train-local", "--text", empty.toString());
        assertEquals(2, e1.status());
        assertTrue(e1.err().contains("empty.txt") && e1.err().contains("empty"), e1.err());

        Outcome e2 = run("train-local", "--text", dir.resolve("missing.txt").toString());
        assertEquals(2, e2.status());
        assertTrue(e2.err().contains("missing.txt"), e2.err());

        Outcome e3 = run("train-local", "--bogus", "1");
        assertEquals(2, e3.status());
        assertTrue(e3.err().contains("bogus"), e3.err());

        Path shortText = Files.writeString(dir.resolve("short.txt"), "tiny text");
        Outcome e4 = run("train-local", "--text", shortText.toString(), "--block", "64");
        assertEquals(2, e4.status());
        assertTrue(e4.err().contains("blockSize"), e4.err());

        Outcome e5 = run("train-local", "--text", shortText.toString(), "--block", "4", "--heads", "3", "--width", "16");
        assertEquals(2, e5.status());
        assertTrue(e5.err().contains("model.heads"), e5.err());

        Outcome e6 = run("eval", "--model", dir.resolve("nothing").toString(), "--text", shortText.toString());
        assertEquals(2, e6.status());
        assertTrue(e6.err().contains("model.safetensors"), e6.err());

        assertEquals(2, run("no-such-command").status());
    }
}
