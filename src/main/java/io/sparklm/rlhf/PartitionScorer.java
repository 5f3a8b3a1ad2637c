package io.sparklm.rlhf;

import io.sparklm.data.tokenizer.Tokenizer;
import io.sparklm.model.PaddedSequences;
import io.sparklm.model.RewardModel;
import io.sparklm.nn.Cache;
import io.sparklm.objective.PreferenceBatch;
import io.sparklm.train.ModelDirectory;
import io.sparklm.train.TaskThreads;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.SerializableConfiguration;

/**
 * {@link RewardScorer}'s work on one partition: loads the reward model from {@code modelPath}
 * (through Hadoop FileSystem, once, when the first row arrives) and yields each row with its reward
 * r(x, y) appended, reading {@code batchSize} rows at a time.
 *
 * @param promptIndex   the prompt column's position in the input rows
 * @param responseIndex the response column's position in the input rows
 */
record PartitionScorer(String modelPath, SerializableConfiguration conf, int batchSize, int promptIndex, int responseIndex)
        implements MapPartitionsFunction<Row, Row> {

    @Override
    public Iterator<Row> call(Iterator<Row> rows) throws Exception {
        if (!rows.hasNext()) {
            return Collections.emptyIterator();
        }
        TaskThreads.use(0);
        ModelDirectory.Loaded loaded = ModelDirectory.load(new Path(modelPath), conf.value());
        RewardScorer.requireReward(loaded.model().spec(), modelPath);
        RewardModel model = (RewardModel) loaded.model();
        return new Iterator<>() {
            private Iterator<Row> scored = Collections.emptyIterator();

            @Override
            public boolean hasNext() {
                if (!scored.hasNext() && rows.hasNext()) {
                    scored = score(model, loaded.tokenizer(), rows).iterator();
                }
                return scored.hasNext();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return scored.next();
            }
        };
    }

    /** The next {@code batchSize} rows (or fewer, at the end) of {@code rows}, each with its reward appended. */
    private List<Row> score(RewardModel model, Tokenizer tokenizer, Iterator<Row> rows) {
        List<Row> batch = new ArrayList<>(batchSize);
        while (batch.size() < batchSize && rows.hasNext()) {
            batch.add(rows.next());
        }
        int blockSize = model.spec().config().blockSize();
        int[][] sequences = new int[batch.size()][];
        for (int b = 0; b < batch.size(); b++) {
            Row row = batch.get(b);
            sequences[b] = PreferenceBatch.joined(encode(tokenizer, row, promptIndex), encode(tokenizer, row, responseIndex), blockSize);
        }
        float[] rewards = model.rewards(PaddedSequences.rightPadded(sequences), Cache.inference());
        List<Row> out = new ArrayList<>(batch.size());
        for (int b = 0; b < batch.size(); b++) {
            Row row = batch.get(b);
            Object[] values = new Object[row.length() + 1];
            for (int i = 0; i < row.length(); i++) {
                values[i] = row.get(i);
            }
            values[row.length()] = rewards[b];
            out.add(RowFactory.create(values));
        }
        return out;
    }

    /** The ids of the text in column {@code index}; errors name the column. */
    private static int[] encode(Tokenizer tokenizer, Row row, int index) {
        String column = row.schema() == null ? "column " + index : "column \"" + row.schema().fieldNames()[index] + "\"";
        if (row.isNullAt(index)) {
            throw new IllegalArgumentException("RewardScorer: " + column + " is null in a row of the input; drop or fill the rows"
                    + " without text before scoring");
        }
        try {
            return tokenizer.encode(row.getString(index));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("RewardScorer: cannot encode " + column + " of a row with the model's tokenizer: "
                    + e.getMessage(), e);
        }
    }
}
