package io.sparklm.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A temporary local directory for one benchmark run's files (checkpoints, worker states), deleted with all it holds on close. */
final class ScratchDirectory implements AutoCloseable {
    private final Path path;

    ScratchDirectory(String prefix) throws IOException {
        this.path = Files.createTempDirectory(prefix);
    }

    String uri() {
        return path.toUri().toString();
    }

    @Override
    public void close() {
        org.apache.hadoop.fs.FileUtil.fullyDelete(path.toFile());
    }
}
