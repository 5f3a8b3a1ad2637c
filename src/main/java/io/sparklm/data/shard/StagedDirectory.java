package io.sparklm.data.shard;

import java.io.Closeable;
import java.io.IOException;
import java.util.UUID;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A temporary directory {@code OUT/_tmp-<uuid>} on {@code OUT}'s FileSystem, where a job writes
 * its outputs before {@link #publish publishing} them into {@code OUT} by rename, so {@code OUT}
 * never holds a half-written output. Closing deletes it, with whatever was not published.
 */
public final class StagedDirectory implements Closeable {
    private final FileSystem fs;
    private final Path out;
    private final Path staging;

    /** Prefix of staging directories; one left by a killed job can be deleted. */
    public static final String PREFIX = "_tmp-";

    public StagedDirectory(FileSystem fs, Path out) throws IOException {
        this.fs = fs;
        this.out = out;
        this.staging = new Path(out, PREFIX + UUID.randomUUID());
        if (!fs.mkdirs(staging)) {
            throw new IOException("cannot create the directory " + staging + "; check that " + out + " is writable");
        }
    }

    /** Where {@code name} is written before it is published. */
    public Path path(String name) {
        return new Path(staging, name);
    }

    /**
     * Moves the staged {@code name} to {@code OUT/name}. An existing {@code OUT/name} is first moved
     * into the staging directory, so it is deleted on {@link #close()}.
     */
    public void publish(String name) throws IOException {
        Path target = new Path(out, name);
        if (fs.exists(target)) {
            rename(target, path("_replaced-" + name));
        }
        rename(path(name), target);
    }

    private void rename(Path from, Path to) throws IOException {
        if (!fs.rename(from, to)) {
            throw new IOException("cannot rename " + from + " to " + to + "; check " + out + " and its FileSystem");
        }
    }

    @Override
    public void close() throws IOException {
        fs.delete(staging, true);
    }
}
