package io.sparklm.data.corpus;

import io.sparklm.data.tokenizer.CharTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.function.Executable;

import static org.junit.jupiter.api.Assertions.fail;

/** Small corpora for the data tests, and the message a failing corpus job ends with. */
public final class TestCorpus {
    private static final String[] WORDS = {"the", "quick", "brown", "fox", "jumps", "over", "a", "lazy", "dog", "é"};

    private TestCorpus() {
    }

    /** {@code n} documents of 1 to 12 words, deterministic: "3 fox jumps over". */
    public static List<String> documents(int n) {
        return IntStream.range(0, n).mapToObj(i -> {
            StringBuilder text = new StringBuilder().append(i);
            for (int w = 0; w < 1 + (i * 7) % 12; w++) {
                text.append(' ').append(WORDS[(i + w) % WORDS.length]);
            }
            return text.toString();
        }).toList();
    }

    /** A character tokenizer for {@link #documents} and the newline. */
    public static CharTokenizer tokenizer() {
        return CharTokenizer.fit("\n 0123456789" + String.join(" ", WORDS));
    }

    public static Path writeLines(Path file, List<String> lines) throws IOException {
        return Files.write(file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** The message of the error {@code action} fails with, as a driver sees it after a Spark job. */
    public static String failure(Executable action) {
        try {
            action.execute();
        } catch (Throwable t) {
            return t instanceof Exception e ? CorpusException.thrownBy(e).getMessage() : fail(t);
        }
        return fail("expected a failure");
    }
}
