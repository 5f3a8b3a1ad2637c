package io.sparklm.data.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * Trains a {@link WordPiece} on a corpus, in the shape of a Spark MLlib {@code Estimator}:
 * {@code fit(lines, vocabSize, lowercase)} gives the model. Merge learning by the WordPiece
 * likelihood score ({@link WordPieceMergeLearner}).
 *
 * <ol>
 *   <li>Word counting, data-parallel: each partition splits its lines into words exactly as the
 *       encoder does ({@link WordPiece#forEachWord}) and counts them ({@link #countWords});
 *       counts add across partitions ({@code reduceByKey}).</li>
 *   <li>The alphabet, on the driver: the characters (code points) occurring at least
 *       {@value #MIN_CHARACTER_COUNT} times in all. A character seen once is most often noise (a
 *       stray symbol or a typo) and would cost one or two ids for nothing; the words containing
 *       one are left out of learning and encode as {@value WordPiece#UNKNOWN}. Words longer than
 *       {@value WordPiece#MAX_WORD_CHARS} code points, which the encoder makes
 *       {@value WordPiece#UNKNOWN} whatever the vocabulary, are left out from the start.</li>
 *   <li>Merge learning, on the driver: the remaining words with their counts go to
 *       {@link WordPieceMergeLearner#learn}, asking for as many new tokens as the vocabulary has
 *       room for.</li>
 * </ol>
 *
 * <p>Ids: BERT's special tokens {@link WordPiece#SPECIAL_TOKENS} (ids 0 to 4: {@value WordPiece#PADDING},
 * {@value WordPiece#UNKNOWN}, {@value WordPiece#CLASSIFICATION}, {@value WordPiece#SEPARATOR},
 * {@value WordPiece#MASK}), then the alphabet: the characters that begin a word, in code point
 * order, then those that continue one, with the {@value WordPiece#CONTINUATION} prefix, in code
 * point order; then the merged tokens in the order they were created. Every word of the training
 * text built of alphabet characters thus encodes without {@value WordPiece#UNKNOWN}. The
 * vocabulary is smaller than {@code vocabSize} when the corpus runs out of pairs occurring at
 * least {@value BpeMergeLearner#MIN_PAIR_COUNT} times. The result depends only on the word counts,
 * so it is the same however the lines are partitioned.
 */
public final class WordPieceTrainer {
    /** Characters occurring fewer times in the corpus are left out of the alphabet, and their words encode as {@value WordPiece#UNKNOWN}. */
    public static final long MIN_CHARACTER_COUNT = 2;

    private WordPieceTrainer() {
    }

    /** Trains on the lines of an RDD: words are counted on the executors, tokens learned here. */
    public static WordPiece fit(JavaRDD<String> lines, int vocabSize, boolean lowercase) {
        Map<String, Long> wordCounts = new HashMap<>(lines
                .mapPartitionsToPair(partition -> countWords(partition, lowercase).entrySet().stream()
                        .map(entry -> new Tuple2<>(entry.getKey(), entry.getValue())).iterator())
                .reduceByKey(Long::sum)
                .collectAsMap());
        return fromWordCounts(wordCounts, vocabSize, lowercase);
    }

    /** Trains on lines in this JVM, exactly as {@link #fit(JavaRDD, int, boolean)} would. */
    public static WordPiece fit(Iterable<String> lines, int vocabSize, boolean lowercase) {
        return fromWordCounts(countWords(lines.iterator(), lowercase), vocabSize, lowercase);
    }

    /** How often each word, as {@link WordPiece} splits (and, with {@code lowercase}, lower-cases) text, occurs in {@code lines}. */
    public static Map<String, Long> countWords(Iterator<String> lines, boolean lowercase) {
        Map<String, Long> counts = new HashMap<>();
        while (lines.hasNext()) {
            WordPiece.forEachWord(lines.next(), lowercase, word -> counts.merge(word, 1L, Long::sum));
        }
        return counts;
    }

    private static WordPiece fromWordCounts(Map<String, Long> wordCounts, int vocabSize, boolean lowercase) {
        Map<Integer, Long> characterCounts = new HashMap<>();
        wordCounts.forEach((word, count) -> {
            if (fitsTheEncoder(word)) {
                word.codePoints().forEach(c -> characterCounts.merge(c, count, Long::sum));
            }
        });
        Map<String, Long> learnable = new HashMap<>();
        TreeSet<Integer> initials = new TreeSet<>();
        TreeSet<Integer> continuations = new TreeSet<>();
        wordCounts.forEach((word, count) -> {
            if (fitsTheEncoder(word) && word.codePoints().allMatch(c -> characterCounts.get(c) >= MIN_CHARACTER_COUNT)) {
                learnable.put(word, count);
                int[] characters = word.codePoints().toArray();
                initials.add(characters[0]);
                for (int i = 1; i < characters.length; i++) {
                    continuations.add(characters[i]);
                }
            }
        });

        List<String> vocab = new ArrayList<>(WordPiece.SPECIAL_TOKENS);
        initials.forEach(c -> vocab.add(Character.toString(c)));
        continuations.forEach(c -> vocab.add(WordPiece.CONTINUATION + Character.toString(c)));
        if (vocabSize < vocab.size()) {
            throw new IllegalArgumentException("tokenizer.vocabSize is " + vocabSize + "; this corpus needs at least "
                    + WordPiece.SPECIAL_TOKENS.size() + " special tokens + " + (vocab.size() - WordPiece.SPECIAL_TOKENS.size())
                    + " characters = " + vocab.size() + "; raise tokenizer.vocabSize");
        }
        Set<String> tokens = new HashSet<>(vocab);
        for (WordPieceMergeLearner.Merge merge : WordPieceMergeLearner.learn(learnable, vocabSize - vocab.size())) {
            if (tokens.add(merge.token())) {
                vocab.add(merge.token());
            }
        }
        return new WordPiece(vocab, lowercase);
    }

    /** Whether the encoder can spell {@code word} at all: it makes longer words unknown whatever the vocabulary. */
    private static boolean fitsTheEncoder(String word) {
        return word.codePointCount(0, word.length()) <= WordPiece.MAX_WORD_CHARS;
    }
}
