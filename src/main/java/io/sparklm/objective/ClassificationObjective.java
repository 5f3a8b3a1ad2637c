package io.sparklm.objective;

import io.sparklm.model.PaddedSequences;
import io.sparklm.loss.CrossEntropy;
import io.sparklm.loss.LossResult;
import io.sparklm.metrics.ConfusionCounts;
import io.sparklm.metrics.RocAucCounts;
import io.sparklm.model.Classifier;
import io.sparklm.model.Model;
import io.sparklm.model.ModelFamily;
import io.sparklm.nn.Cache;
import io.sparklm.tensor.Kernels;
import io.sparklm.tensor.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One label per text ({@link Classifier}): records of (text ids, label), batches of B texts drawn
 * uniformly, right-padded; L = Σᵢ w_{yᵢ} CE(zᵢ, yᵢ) / Σᵢ w_{yᵢ}, with w_c = 1 or the balanced class
 * weights w_c = N/(K·N_c) of the training labels (seeds-digest §15), so the average weighs workers
 * by Σ w. Scores: the confusion matrix over the validation texts (accuracy, per-class and macro F1),
 * and for two classes ROC-AUC of P(class 1), all as counts summed across partitions.
 */
public final class ClassificationObjective implements Objective {
    public static final String NAME = "classify";
    /** Fields of a record: the text's ids, then its label. */
    static final int FIELDS = 2;
    private final int classes;
    private final CrossEntropy crossEntropy;

    /** @param classWeights w_c per class, or null for unweighted cross-entropy */
    public ClassificationObjective(int classes, float[] classWeights) {
        this.classes = classes;
        this.crossEntropy = classWeights == null ? new CrossEntropy() : new CrossEntropy().withClassWeights(classWeights);
    }

    /** K. */
    public int classes() {
        return classes;
    }

    /** N_c: how many records of each class one worker's examples hold; they add across workers. */
    public static long[] labelCounts(Examples examples, int classes) {
        long[] counts = new long[classes];
        for (int i = 0; i < examples.records(FIELDS); i++) {
            counts[examples.record(i, FIELDS)[1][0]]++;
        }
        return counts;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ModelFamily family() {
        return ModelFamily.CLASSIFIER;
    }

    @Override
    public LabelledBatch sample(Examples examples, int batchSize, Draw draw) {
        return batch(examples, examples.drawRecords(FIELDS, batchSize, draw.rng(0), "labelled text (tokenize records with data.labelField)"));
    }


    private LabelledBatch batch(Examples examples, int[] records) {
        List<int[]> texts = new ArrayList<>();
        int[] labels = new int[records.length];
        for (int b = 0; b < records.length; b++) {
            int[][] r = examples.record(records[b], FIELDS);
            texts.add(r[0]);
            labels[b] = r[1][0];
        }
        return new LabelledBatch(PaddedSequences.rightPadded(texts.toArray(int[][]::new)), labels);
    }

    @Override
    public List<Batch> evaluationBatches(Examples examples, int batchSize, int maxItems) {
        int n = Math.min(maxItems, examples.records(FIELDS));
        List<Batch> batches = new ArrayList<>();
        for (int first = 0; first < n; first += batchSize) {
            int[] records = java.util.stream.IntStream.range(first, Math.min(n, first + batchSize)).toArray();
            batches.add(batch(examples, records));
        }
        return batches;
    }

    @Override
    public double weight(Model model, Batch batch) {
        return crossEntropy.totalWeight(((LabelledBatch) batch).labels(), classes);
    }

    @Override
    public double lossAndGradient(Model model, Batch batch, double normaliser, Cache cache) {
        Classifier classifier = (Classifier) model;
        LabelledBatch b = (LabelledBatch) batch;
        Tensor logits = classifier.logits(b.texts().ids(), b.texts().valid(), b.size(), b.texts().time(), cache);
        Tensor dLogits = cache.tensor("dLogits", logits.shape());
        double sum = crossEntropy.rowsLoss(logits.data, b.labels(), 0, b.size(), classes, normaliser, dLogits.data);
        classifier.backward(dLogits, cache);
        return sum;
    }

    @Override
    public LossResult loss(Model model, Batch batch) {
        LabelledBatch b = (LabelledBatch) batch;
        Tensor logits = ((Classifier) model).logits(b.texts().ids(), b.texts().valid(), b.size(), b.texts().time(), Cache.inference());
        double weight = crossEntropy.totalWeight(b.labels(), classes);
        return new LossResult(crossEntropy.rowsLoss(logits.data, b.labels(), 0, b.size(), classes, 1, null), weight, null);
    }

    @Override
    public Scores score(Model model, Examples examples, int batchSize, int maxItems) {
        Counts counts = new Counts(new ConfusionCounts(classes), classes == 2 ? new RocAucCounts() : null);
        for (Batch batch : evaluationBatches(examples, batchSize, maxItems)) {
            LabelledBatch b = (LabelledBatch) batch;
            Tensor logits = ((Classifier) model).logits(b.texts().ids(), b.texts().valid(), b.size(), b.texts().time(), Cache.inference());
            for (int i = 0; i < b.size(); i++) {
                Kernels.softmaxInPlace(logits.data, i * classes, classes);
                int predicted = 0;
                for (int c = 1; c < classes; c++) {
                    if (logits.data[i * classes + c] > logits.data[i * classes + predicted]) {
                        predicted = c;
                    }
                }
                counts.confusion().add(b.labels()[i], predicted);
                if (counts.auc() != null) {
                    counts.auc().add(Math.min(1, Math.max(0, logits.data[i * classes + 1])), b.labels()[i]);
                }
            }
        }
        return counts;
    }

    /**
     * The macro-F1 of always predicting the most frequent true class: its F1 2p/(1 + p), p its
     * share, over K (every other class scores 0).
     */
    static double majorityMacroF1(ConfusionCounts confusion) {
        long most = 0;
        for (int c = 0; c < confusion.classes(); c++) {
            long n = 0;
            for (int p = 0; p < confusion.classes(); p++) {
                n += confusion.count(c, p);
            }
            most = Math.max(most, n);
        }
        double share = confusion.total() == 0 ? 0 : (double) most / confusion.total();
        return share == 0 ? 0 : 2 * share / (1 + share) / confusion.classes();
    }

    /** The classification counts of one or more partitions. */
    record Counts(ConfusionCounts confusion, RocAucCounts auc) implements Scores {
        @Override
        public Scores plus(Scores other) {
            Counts o = (Counts) other;
            return new Counts(confusion.plus(o.confusion), auc == null ? null : auc.plus(o.auc));
        }

        private double majorityMacroF1() {
            return ClassificationObjective.majorityMacroF1(confusion);
        }

        @Override
        public String report() {
            return "confusion matrix (rows: true class, columns: predicted)\n" + confusion.matrixText();
        }

        @Override
        public Map<String, Double> figures() {
            Map<String, Double> f = new LinkedHashMap<>();
            f.put("accuracy", confusion.accuracy());
            f.put("macro_f1", confusion.macroF1());
            if (auc != null) {
                f.put("precision", confusion.precision(1));
                f.put("recall", confusion.recall(1));
                f.put("f1", confusion.f1(1));
                f.put("roc_auc", auc.auc());
            }
            f.put("majority_macro_f1", majorityMacroF1());
            f.put("examples", (double) confusion.total());
            return f;
        }
    }
}
