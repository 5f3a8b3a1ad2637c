package io.sparklm.cli;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The YAML file named by {@code --config}, found where each deploy mode puts it:
 * <ol>
 * <li>a Hadoop URI ({@code hdfs://…}, {@code s3a://…}) is read through its FileSystem, in every mode;</li>
 * <li>a local path is read where it is: the caller's file in client mode (the driver runs in the
 *     caller's directory), or a path every node sees (a shared file system) in standalone cluster mode;</li>
 * <li>otherwise the file of that name in the driver's working directory: the copy that
 *     {@code spark-submit --files} ships there in YARN and Kubernetes cluster mode.</li>
 * </ol>
 * Executors need no copy: settings reach them inside the job. A YAML syntax error names the file,
 * the line and the column; so does a key written twice.
 */
final class ConfigFile {
    private static final ObjectMapper YAML = new ObjectMapper(
            YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    private ConfigFile() {
    }

    /** The settings tree of the file named {@code given}; an IllegalArgumentException names the file and line when it is not YAML. */
    static JsonNode read(String given) throws IOException {
        if (isHadoopUri(given)) {
            org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(given);
            org.apache.hadoop.fs.FileSystem fs = path.getFileSystem(new org.apache.hadoop.conf.Configuration());
            if (!fs.isFile(path)) {
                throw new NoSuchFileException(given, null, "config file not found");
            }
            try (InputStream in = fs.open(path)) {
                return parse(given, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return parse(given, Files.readString(locate(given), StandardCharsets.UTF_8));
    }

    /** The local file that {@code given} names: the path itself, or the shipped copy in the working directory. */
    static Path locate(String given) throws NoSuchFileException {
        Path path = Path.of(given);
        if (Files.isRegularFile(path)) {
            return path;
        }
        Path fileName = path.getFileName();
        Path shipped = fileName == null ? null : Path.of("").toAbsolutePath().resolve(fileName.toString());
        if (shipped != null && Files.isRegularFile(shipped)) {
            return shipped;
        }
        throw new NoSuchFileException(given, null, "config file not found (looked at " + path.toAbsolutePath()
                + (shipped == null || shipped.equals(path.toAbsolutePath()) ? "" : " and at " + shipped
                        + ", where spark-submit --files puts it in YARN and Kubernetes cluster mode")
                + "); give a path the driver can read, or a Hadoop URI such as hdfs:///conf/" + fileName);
    }

    private static boolean isHadoopUri(String given) {
        try {
            URI uri = new URI(given);
            return uri.getScheme() != null && uri.getScheme().length() > 1 && !uri.getScheme().equals("file");
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static JsonNode parse(String name, String text) {
        try {
            JsonNode root = YAML.readTree(text);
            if (root == null || !root.isObject()) {
                throw new IllegalArgumentException("config " + name + " must be a YAML mapping of settings (key: value, nested keys read as dotted ones)");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("config " + name + " " + where(e), e);
        }
    }

    /** "line L, column C: problem", from SnakeYAML's marks where it has them (1-based), else Jackson's location. */
    private static String where(JsonProcessingException e) {
        if (e.getCause() instanceof org.yaml.snakeyaml.error.MarkedYAMLException m && m.getProblemMark() != null) {
            String context = m.getContext() == null || m.getContextMark() == null ? ""
                    : " (" + m.getContext() + " that starts on line " + (m.getContextMark().getLine() + 1) + ")";
            return "line " + (m.getProblemMark().getLine() + 1) + ", column " + (m.getProblemMark().getColumn() + 1) + ": "
                    + m.getProblem().strip() + context;
        }
        String message = e.getOriginalMessage().lines().findFirst().orElse("").strip();
        return e.getLocation() == null ? "is not valid YAML: " + message
                : "line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": " + message;
    }
}
