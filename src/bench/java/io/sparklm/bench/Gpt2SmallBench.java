package io.sparklm.bench;

import io.sparklm.data.corpus.EmbeddedCorpus;
import io.sparklm.data.tokenizer.ByteBpe;
import io.sparklm.model.Gpt;
import io.sparklm.model.ModelConfig;
import io.sparklm.optim.AdamW;
import io.sparklm.optim.Schedule;
import io.sparklm.tensor.Blas;
import io.sparklm.tensor.Parallel;
import io.sparklm.objective.Examples;
import io.sparklm.train.LocalTrainer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * GPT-2 small (12 layers, 12 heads, width 768, the GPT-2 BPE vocabulary of 50,257, block 256,
 * batch 4) trained on the embedded corpus, as shared/reference/torch_gpt.py trains it from
 * {@code --ids}: AdamW (0.9, 0.99) wd 0.1, lr 1e-3, clip 1.0, 90/10 split of the ids.
 *
 * <p>Writes the corpus's GPT-2 ids (lines as documents, each followed by {@code <|endoftext|>}) to
 * {@code IDS} as little-endian uint16, nanoGPT's train.bin format, so the peer reads the same
 * tokens. Model FLOPs per token are nanoGPT's 6·N + 12·L·T·C; the sgemm peak is the best of a
 * few 2048³ products on the same threads, measured in the same run.
 *
 * <p>Usage: {@code Gpt2SmallBench IDS [ITERS]}. Prints one {@code key: value} figure per line.
 */
public final class Gpt2SmallBench {
    private static final int BLOCK = 256;
    private static final int BATCH = 4;

    private Gpt2SmallBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: Gpt2SmallBench IDS [ITERS]");
            System.exit(2);
        }
        int iters = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int[] ids = writeIds(Path.of(args[0]));
        int split = (int) (0.9 * ids.length);
        int[] train = Arrays.copyOfRange(ids, 0, split);

        ModelConfig config = ModelConfig.gpt(50257, BLOCK, 12, 12, 768);
        Gpt model = new Gpt(config, 1337);
        LocalTrainer trainer = new LocalTrainer(model, new AdamW(0.9, 0.99, 1e-8, 0.1),
                new LocalTrainer.Settings(BATCH, Schedule.constant(1e-3), 1.0, 1337));
        Examples batches = Examples.of(train);
        trainer.trainStep(batches);
        System.gc();
        Runtime rt = Runtime.getRuntime();
        long liveMb = (rt.totalMemory() - rt.freeMemory()) >> 20;
        long start = System.nanoTime();
        double loss = Double.NaN;
        for (int i = 0; i < iters; i++) {
            loss = trainer.trainStep(batches).loss();
            System.err.printf("step %d/%d loss %.4f%n", i + 1, iters, loss);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double tokensPerSecond = (double) iters * BATCH * BLOCK / seconds;
        long n = model.parameters().count();
        double flopsPerToken = 6.0 * n + 12.0 * config.layers() * BLOCK * config.width();
        double gflops = tokensPerSecond * flopsPerToken / 1e9;
        double peak = sgemmPeakGflops();
        System.out.println("ids: " + ids.length);
        System.out.println("params: " + n);
        System.out.println("threads: " + Parallel.threads());
        System.out.printf("tokens_per_second: %.1f%n", tokensPerSecond);
        System.out.printf("last_batch_loss: %.4f%n", loss);
        System.out.printf("achieved_gflops: %.1f%n", gflops);
        System.out.printf("sgemm_peak_gflops: %.1f%n", peak);
        System.out.printf("share_of_peak: %.3f%n", gflops / peak);
        System.out.println("heap_live_after_step_mb: " + liveMb);
        System.out.println("peak_rss_mb: " + peakRssMb());
    }

    /** The embedded corpus in GPT-2 BPE, written to {@code file} as uint16 little-endian. */
    private static int[] writeIds(Path file) throws IOException {
        ByteBpe bpe = ByteBpe.gpt2();
        int eot = bpe.specialId(ByteBpe.END_OF_TEXT);
        int[] ids = new int[1 << 20];
        int n = 0;
        for (String line : EmbeddedCorpus.englishText().split("\n")) {
            int[] doc = bpe.encode(line);
            if (n + doc.length + 1 > ids.length) {
                ids = Arrays.copyOf(ids, 2 * (n + doc.length + 1));
            }
            System.arraycopy(doc, 0, ids, n, doc.length);
            n += doc.length;
            ids[n++] = eot;
        }
        ByteBuffer bytes = ByteBuffer.allocate(2 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) {
            bytes.putShort((short) ids[i]);
        }
        Files.write(file, bytes.array());
        return Arrays.copyOf(ids, n);
    }

    private static double sgemmPeakGflops() {
        int s = 2048;
        float[] a = new float[s * s];
        float[] b = new float[s * s];
        float[] c = new float[s * s];
        Arrays.fill(a, 0.5f);
        Arrays.fill(b, 0.25f);
        Blas.setThreads(Parallel.threads());
        double best = Double.MAX_VALUE;
        for (int rep = 0; rep < 5; rep++) {
            long t0 = System.nanoTime();
            Blas.gemm(false, false, s, s, s, 1f, a, b, 0f, c);
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return 2.0 * s * s * s / best / 1e9;
    }

    /** VmHWM of this process in MB, as the peer's ru_maxrss. */
    static long peakRssMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            }
        }
        return -1;
    }
}
