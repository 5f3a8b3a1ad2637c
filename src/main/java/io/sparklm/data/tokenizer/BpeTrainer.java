package io.sparklm.data.tokenizer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import scala.Tuple2;

/**
 * Trains a {@link ByteBpe} on a corpus, in the shape of a Spark MLlib {@code Estimator}:
 * {@code fit(lines, vocabSize, specialTokens)} gives the model. Byte-level BPE as GPT-2 learns it
 * (Radford et al. 2019) with Sennrich et al.'s (2016) merge learning ({@link BpeMergeLearner}).
 *
 * <ol>
 *   <li>Word counting, data-parallel: each partition splits its lines into GPT-2 words
 *       ({@link PreTokenizer}, special tokens cut out and not counted) and counts them
 *       ({@link #countWords}); counts add across partitions ({@code reduceByKey}).</li>
 *   <li>Merge learning, on the driver: the distinct words, written as their UTF-8 bytes in
 *       GPT-2's byte alphabet, with their counts, go to {@link BpeMergeLearner#learn}, asking for
 *       {@code vocabSize - 256 - specialTokens.size()} new tokens.</li>
 * </ol>
 *
 * <p>Ids: the 256 byte tokens in GPT-2's order (so they agree with {@link ByteBpe#gpt2()}), then
 * the learned tokens in the order they were created, then the special tokens in the order given.
 * The vocabulary is smaller than {@code vocabSize} when the corpus runs out of pairs occurring at
 * least {@value BpeMergeLearner#MIN_PAIR_COUNT} times. The result depends only on the word counts,
 * so it is the same however the lines are partitioned. Each line is pre-tokenised on its own:
 * lines from {@code textFile} have lost their newline, so no merge joins across it.
 */
public final class BpeTrainer {
    private BpeTrainer() {
    }

    /** Trains on the lines of an RDD: words are counted on the executors, merges learned here. */
    public static ByteBpe fit(JavaRDD<String> lines, int vocabSize, List<String> specialTokens) {
        List<String> specials = checkedSpecials(vocabSize, specialTokens);
        Map<String, Long> wordCounts = new HashMap<>(lines
                .mapPartitionsToPair(partition -> countWords(partition, specials).entrySet().stream()
                        .map(entry -> new Tuple2<>(entry.getKey(), entry.getValue())).iterator())
                .reduceByKey(Long::sum)
                .collectAsMap());
        return fromWordCounts(wordCounts, vocabSize, specials);
    }

    /** Trains on lines in this JVM, exactly as {@link #fit(JavaRDD, int, List)} would. */
    public static ByteBpe fit(Iterable<String> lines, int vocabSize, List<String> specialTokens) {
        List<String> specials = checkedSpecials(vocabSize, specialTokens);
        return fromWordCounts(countWords(lines.iterator(), specials), vocabSize, specials);
    }

    /** How often each GPT-2 word occurs in {@code lines}, special tokens left out. */
    public static Map<String, Long> countWords(Iterator<String> lines, List<String> specialTokens) {
        PreTokenizer preTokenizer = new PreTokenizer(specialTokens);
        Map<String, Long> counts = new HashMap<>();
        while (lines.hasNext()) {
            preTokenizer.split(lines.next(), word -> counts.merge(word, 1L, Long::sum), special -> { });
        }
        return counts;
    }

    private static ByteBpe fromWordCounts(Map<String, Long> wordCounts, int vocabSize, List<String> specials) {
        Map<List<String>, Long> byteWords = new HashMap<>();
        wordCounts.forEach((word, count) -> byteWords.merge(byteSymbols(word), count, Long::sum));
        List<BpeMergeLearner.Merge> learned = BpeMergeLearner.learn(byteWords, vocabSize - 256 - specials.size());

        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (int id = 0; id < 256; id++) {
            vocab.put(ByteAlphabet.symbolOf(ByteAlphabet.byteOfId(id)), id);
        }
        List<String> merges = new ArrayList<>(learned.size());
        for (BpeMergeLearner.Merge merge : learned) {
            vocab.putIfAbsent(merge.left() + merge.right(), vocab.size());
            merges.add(merge.left() + " " + merge.right());
        }
        Map<String, Integer> special = new LinkedHashMap<>();
        for (String token : specials) {
            special.put(token, vocab.size() + special.size());
        }
        return new ByteBpe(vocab, merges, special);
    }

    /** A word's UTF-8 bytes, one symbol of GPT-2's byte alphabet each. */
    private static List<String> byteSymbols(String word) {
        byte[] bytes = ByteAlphabet.utf8(word);
        List<String> symbols = new ArrayList<>(bytes.length);
        for (byte b : bytes) {
            symbols.add(ByteAlphabet.symbolOf(b));
        }
        return symbols;
    }

    private static List<String> checkedSpecials(int vocabSize, List<String> specialTokens) {
        List<String> specials = List.copyOf(specialTokens);
        if (specials.contains("") || new HashSet<>(specials).size() != specials.size()) {
            throw new IllegalArgumentException("tokenizer.specialTokens " + specials + " must be distinct and non-empty");
        }
        if (vocabSize < 256 + specials.size()) {
            throw new IllegalArgumentException("tokenizer.vocabSize is " + vocabSize + "; it must be at least 256 byte tokens + "
                    + specials.size() + " special tokens = " + (256 + specials.size()));
        }
        return specials;
    }
}
