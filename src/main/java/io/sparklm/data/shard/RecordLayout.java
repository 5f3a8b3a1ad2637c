package io.sparklm.data.shard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sparklm.data.corpus.CorpusException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * How shards of records are laid out ({@link RecordShards}): each row's ids are one record of
 * {@code fields.size()} fields written as {@code [len₁, ids₁…, len₂, ids₂…, …]}; the field at
 * {@code labelField} (−1: none) is a class label of one id, an index into {@code labels}.
 *
 * <p>JSON, under the manifest's {@code "records"}: {@code {"fields": ["text", "label"], "labelField": 1,
 * "labels": ["noun.Tops", "noun.act", …]}}.
 */
public record RecordLayout(List<String> fields, int labelField, List<String> labels) implements Serializable {
    public RecordLayout {
        fields = List.copyOf(fields);
        labels = List.copyOf(labels);
        if (labelField < -1 || labelField >= fields.size()) {
            throw new IllegalArgumentException("label field " + labelField + " is not one of the " + fields.size() + " fields " + fields);
        }
    }

    /** One record's row: {@code [len₁, ids₁…, len₂, ids₂…, …]}. */
    public static int[] encode(int[]... fields) {
        int length = 0;
        for (int[] f : fields) {
            length += 1 + f.length;
        }
        int[] row = new int[length];
        int at = 0;
        for (int[] f : fields) {
            row[at++] = f.length;
            System.arraycopy(f, 0, row, at, f.length);
            at += f.length;
        }
        return row;
    }

    ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        fields.forEach(json.putArray("fields")::add);
        json.put("labelField", labelField);
        labels.forEach(json.putArray("labels")::add);
        return json;
    }

    static RecordLayout fromJson(JsonNode json, String source) throws CorpusException {
        if (!json.path("fields").isArray() || !json.path("labelField").canConvertToInt() || !json.path("labels").isArray()) {
            throw new CorpusException(source + ": \"records\" needs fields, labelField and labels; re-run tokenize");
        }
        List<String> fields = new ArrayList<>();
        json.get("fields").forEach(f -> fields.add(f.asText()));
        List<String> labels = new ArrayList<>();
        json.get("labels").forEach(l -> labels.add(l.asText()));
        return new RecordLayout(fields, json.get("labelField").intValue(), labels);
    }
}
