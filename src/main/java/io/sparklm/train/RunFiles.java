package io.sparklm.train;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;

/**
 * Files of a run on any Hadoop FileSystem (file://, hdfs://, s3a://), written so that a reader
 * never sees half a file: each write goes to a hidden temporary name and is renamed into place.
 */
public final class RunFiles {
    /** Writes a file's bytes to a stream. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private final FileSystem fs;
    private final Configuration conf;

    public RunFiles(FileSystem fs) {
        this.fs = fs;
        this.conf = fs.getConf();
    }

    /** The file system of {@code uri} (a plain path means the default FS). */
    public static RunFiles forUri(String uri, Configuration conf) throws IOException {
        return new RunFiles(new Path(uri).getFileSystem(conf));
    }

    public FileSystem fs() {
        return fs;
    }

    public Path qualify(String uri) {
        return fs.makeQualified(new Path(uri));
    }

    /** Writes {@code file} atomically (temporary sibling, then rename over), returning its SHA-256 in hex. */
    public String writeAtomically(Path file, Writer writer) throws IOException {
        Path tmp = new Path(file.getParent(), "." + file.getName() + "." + UUID.randomUUID() + ".tmp");
        MessageDigest sha = sha256();
        try {
            try (OutputStream out = new DigestOutputStream(fs.create(tmp, true), sha)) {
                writer.write(out);
            }
            replace(tmp, file);
        } catch (IOException | RuntimeException e) {
            fs.delete(tmp, false);
            throw e;
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /**
     * Renames {@code tmp} over {@code file}: one atomic rename where the scheme has a FileContext
     * binding (file, hdfs, s3a…), else delete then rename.
     */
    private void replace(Path tmp, Path file) throws IOException {
        FileContext context;
        try {
            context = FileContext.getFileContext(fs.getUri(), conf);
        } catch (org.apache.hadoop.fs.UnsupportedFileSystemException e) {
            fs.delete(file, false);
            if (!fs.rename(tmp, file)) {
                throw new IOException("could not rename " + tmp + " to " + file);
            }
            return;
        }
        context.rename(tmp, file, Options.Rename.OVERWRITE);
    }

    public void writeStringAtomically(Path file, String text) throws IOException {
        writeAtomically(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    public String readString(Path file) throws IOException {
        try (InputStream in = fs.open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** SHA-256 in hex of a file's bytes. */
    public String sha256(Path file) throws IOException {
        MessageDigest sha = sha256();
        try (InputStream in = fs.open(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
