package io.sparklm.data.shard;

import io.sparklm.LocalSpark;
import io.sparklm.data.corpus.CorpusReader;
import io.sparklm.data.corpus.TestCorpus;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tokenize from and to HDFS: a one-datanode MiniDFSCluster in this JVM. */
class HdfsShardsTest {
    @TempDir
    static Path base;
    private static MiniDFSCluster cluster;

    @BeforeAll
    static void startHdfs() throws IOException {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.toString());
        cluster = new MiniDFSCluster.Builder(conf, base.toFile()).numDataNodes(1).build();
        cluster.waitActive();
    }

    @AfterAll
    static void stopHdfs() {
        cluster.shutdown();
    }

    @Test
    void aCorpusOnHdfsBecomesShardsOnHdfs() throws IOException {
        SparkSession spark = LocalSpark.get();
        String root = cluster.getURI() + "/user/test";
        FileSystem fs = cluster.getFileSystem();
        for (int part = 0; part < 2; part++) {
            try (OutputStream out = fs.create(new org.apache.hadoop.fs.Path(root + "/corpus/part-" + part + ".txt"))) {
                out.write(String.join("\n", TestCorpus.documents(100 + part)).getBytes(StandardCharsets.UTF_8));
            }
        }
        TokenizeSettings settings = new TokenizeSettings(root + "/corpus", CorpusReader.of(CorpusReader.Format.TEXT),
                root + "/run", new ShardSpec(15, 0.2, 1), false);
        TokenizeJob.Summary summary = TokenizeJob.run(spark, settings, TestCorpus.tokenizer());
        assertEquals(201, summary.manifest().train().documents() + summary.manifest().val().documents());
        assertTrue(fs.exists(new org.apache.hadoop.fs.Path(root + "/run/tokenizer.json")));

        Shards shards = Shards.open(spark, root + "/run", Shards.readTokenizer(spark, root + "/run"), 15);
        assertEquals(summary.manifest(), shards.manifest());
        assertEquals(shards.manifest().train().tokens(), shards.train(2).map(p -> (long) p.length).reduce(Long::sum));
        assertEquals(shards.manifest().val().tokens(), shards.val(2).map(p -> (long) p.length).reduce(Long::sum));
        assertEquals(1, fs.listStatus(new org.apache.hadoop.fs.Path(root + "/run")).length - 1, "only shards and tokenizer.json");
    }
}
