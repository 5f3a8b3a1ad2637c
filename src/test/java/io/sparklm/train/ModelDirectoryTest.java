package io.sparklm.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sparklm.data.tokenizer.CharTokenizer;
import io.sparklm.model.Model;
import io.sparklm.model.ModelConfig;
import io.sparklm.model.ModelFamily;
import io.sparklm.model.ModelSpec;
import java.io.FileNotFoundException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelDirectoryTest {
    @Test
    void aDirectoryReadThroughHadoopFileSystemGivesTheModelTheLocalReadGives(@TempDir Path dir) throws Exception {
        CharTokenizer tokenizer = CharTokenizer.fit("abc ");
        Model saved = new ModelSpec(ModelFamily.REWARD, ModelConfig.gpt(tokenizer.vocabSize(), 8, 1, 2, 8)).build(3);
        ModelDirectory.save(dir.resolve("m"), saved, tokenizer);
        Configuration conf = new Configuration();
        org.apache.hadoop.fs.Path uri = new org.apache.hadoop.fs.Path(dir.resolve("m").toUri());

        ModelDirectory.Loaded local = ModelDirectory.load(dir.resolve("m"));
        ModelDirectory.Loaded hadoop = ModelDirectory.load(uri, conf);

        assertEquals(saved.spec(), hadoop.model().spec());
        assertEquals(saved.spec(), ModelDirectory.spec(uri, conf));
        assertArrayEquals(local.model().parameters().flatten(), hadoop.model().parameters().flatten());
        assertEquals(local.tokenizer().hash(), hadoop.tokenizer().hash());

        org.apache.hadoop.fs.Path copy = new org.apache.hadoop.fs.Path(dir.resolve("copy").toUri());
        ModelDirectory.copy(uri, copy, conf);
        assertArrayEquals(saved.parameters().flatten(), ModelDirectory.load(dir.resolve("copy")).model().parameters().flatten());

        String missing = assertThrows(FileNotFoundException.class,
                () -> ModelDirectory.load(new org.apache.hadoop.fs.Path(dir.resolve("none").toUri()), conf)).getMessage();
        assertTrue(missing.contains("none/model.safetensors") && missing.contains("no saved model here"), missing);
    }
}
