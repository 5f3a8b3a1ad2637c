package io.sparklm.data.corpus;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * (prompt, response) pairs cut from the embedded Europarl text ({@link EmbeddedCorpus}): the first
 * {@value #PROMPT_WORDS} words of a line are the prompt, the next at most {@value #RESPONSE_WORDS}
 * the response; lines shorter than {@value #PROMPT_WORDS} + 2 words are left out. What supervised
 * fine-tuning and the RLHF demo's prompts read, as {@code data.input=europarl-prompts}.
 */
public final class EuroparlPrompts implements EmbeddedTable {
    public static final EuroparlPrompts INSTANCE = new EuroparlPrompts();
    public static final int PROMPT_WORDS = 3;
    public static final int RESPONSE_WORDS = 10;

    private EuroparlPrompts() {
    }

    @Override
    public String inputName() {
        return "europarl-prompts";
    }

    @Override
    public List<String> fields() {
        return List.of("prompt", "response");
    }

    @Override
    public String labelField() {
        return "";
    }

    @Override
    public String jsonLines() {
        JsonMapper json = new JsonMapper();
        StringBuilder out = new StringBuilder();
        for (String line : EmbeddedCorpus.englishText().split("\n")) {
            String[] words = line.strip().split("\\s+");
            if (words.length < PROMPT_WORDS + 2) {
                continue;
            }
            ObjectNode row = json.createObjectNode();
            row.put("prompt", String.join(" ", java.util.Arrays.copyOfRange(words, 0, PROMPT_WORDS)));
            row.put("response", " " + String.join(" ", java.util.Arrays.copyOfRange(words, PROMPT_WORDS,
                    Math.min(words.length, PROMPT_WORDS + RESPONSE_WORDS))));
            out.append(row).append('\n');
        }
        return out.toString();
    }
}
