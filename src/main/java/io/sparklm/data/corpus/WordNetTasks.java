package io.sparklm.data.corpus;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Function;

/**
 * Tables of examples made from WordNet 3.1's noun synsets ({@link WordNet}), shipped in a Maven
 * artifact, so that every model family trains on real data without a download: {@code data.input=}
 * one of these names is what {@code data.input=embedded} is for text.
 * <ul>
 *   <li>{@link #LEXFILE}: {@code text} a gloss's definition, {@code label} its lexicographer file,
 *       26 noun classes of very different sizes: classification on an imbalanced label.</li>
 *   <li>{@link #WORDS}: {@code a} the synset's words joined by ", ", {@code b} its definition:
 *       contrastive retrieval of a definition from its words.</li>
 *   <li>{@link #HEADWORD}: {@code source} the definition, {@code target} the synset's first word: a
 *       reverse dictionary, sequence to sequence.</li>
 *   <li>{@link #DEFINITION}: {@code source} the synset's first word, {@code target} its definition: a
 *       dictionary, sequence to sequence.</li>
 * </ul>
 * Each is written as JSONL, one synset per line in file order.
 */
public enum WordNetTasks implements EmbeddedTable {
    LEXFILE("wordnet-lexfile", List.of("text", "label"), s -> List.of(s.definition(), s.lexFileName())),
    WORDS("wordnet-words", List.of("a", "b"), s -> List.of(String.join(", ", s.words()), s.definition())),
    HEADWORD("wordnet-headword", List.of("source", "target"), s -> List.of(s.definition(), s.words().get(0))),
    DEFINITION("wordnet-definition", List.of("source", "target"), s -> List.of(s.words().get(0), s.definition()));

    private final String inputName;
    private final List<String> fields;
    private final Function<WordNet.Synset, List<String>> values;

    WordNetTasks(String inputName, List<String> fields, Function<WordNet.Synset, List<String>> values) {
        this.inputName = inputName;
        this.fields = fields;
        this.values = values;
    }

    @Override
    public String inputName() {
        return inputName;
    }

    @Override
    public List<String> fields() {
        return fields;
    }

    @Override
    public String labelField() {
        return this == LEXFILE ? "label" : "";
    }

    /** The table as JSONL text, one line per noun synset with a non-empty definition. */
    @Override
    public String jsonLines() {
        JsonMapper json = new JsonMapper();
        StringBuilder out = new StringBuilder();
        for (WordNet.Synset synset : WordNet.synsets('n')) {
            List<String> row = values.apply(synset);
            if (row.stream().anyMatch(String::isBlank)) {
                continue;
            }
            ObjectNode line = json.createObjectNode();
            for (int i = 0; i < fields.size(); i++) {
                line.put(fields.get(i), row.get(i));
            }
            out.append(line).append('\n');
        }
        return out.toString();
    }
}
