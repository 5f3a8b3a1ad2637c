package io.sparklm.data.corpus;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * (prompt, response) pairs cut from the embedded Europarl text ({@link EmbeddedCorpus}): each line is
 * cut into consecutive runs of {@value #PROMPT_WORDS} + {@value #RESPONSE_WORDS} words, whose first
 * {@value #PROMPT_WORDS} words are the prompt and the rest the response; a last run shorter than
 * {@value #PROMPT_WORDS} + 2 words is left out. What supervised fine-tuning and the RLHF demo's
 * prompts read, as {@code data.input=europarl-prompts}.
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
            for (int from = 0; from + PROMPT_WORDS + 2 <= words.length; from += PROMPT_WORDS + RESPONSE_WORDS) {
                ObjectNode row = json.createObjectNode();
                row.put("prompt", String.join(" ", java.util.Arrays.copyOfRange(words, from, from + PROMPT_WORDS)));
                row.put("response", " " + String.join(" ", java.util.Arrays.copyOfRange(words, from + PROMPT_WORDS,
                        Math.min(words.length, from + PROMPT_WORDS + RESPONSE_WORDS))));
                out.append(row).append('\n');
            }
        }
        return out.toString();
    }
}
