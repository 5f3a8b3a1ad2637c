package io.sparklm.tensor;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The contents of a safetensors file: named tensors in file order plus string metadata, with the
 * reader and the (F32) writer.
 *
 * <p>Format (huggingface/safetensors, {@code safetensors/src/tensor.rs}):
 * <pre>
 *   8 bytes   N, unsigned 64-bit little-endian: the header length
 *   N bytes   UTF-8 JSON, padded with spaces so that N is a multiple of 8:
 *             {"__metadata__": {"key": "value", ...},
 *              "name": {"dtype": "F32", "shape": [2, 2], "data_offsets": [begin, end]}, ...}
 *   rest      the data section: each tensor's elements, row-major, little-endian, at bytes
 *             [begin, end) counted from the start of the data section
 * </pre>
 * The tensors tile the data section exactly: sorted by {@code begin}, the first starts at 0, each
 * starts where the previous ends, the last ends at the end of the file, and
 * {@code end - begin = product(shape) * bytes per element}. {@code __metadata__} is optional.
 *
 * <p>This writer writes compact JSON with {@code __metadata__} first (omitted when empty, keys
 * sorted), then the tensors in the map's order, data in the same order. The reference writer
 * orders tensors by dtype then name instead; readers, including this one, accept any order.
 * Reading accepts F32, and converts F16 and BF16 to float.
 *
 * @param tensors  tensors by name, in file order (not copied: the map holds the given tensors)
 * @param metadata free-form string metadata ({@code __metadata__}), sorted by key
 */
public record SafeTensors(Map<String, Tensor> tensors, Map<String, String> metadata) {
    /** The reference reader's limit on N; a larger header means a corrupt or foreign file. */
    private static final long MAX_HEADER_BYTES = 100_000_000;
    private static final String METADATA_KEY = "__metadata__";
    private static final int CHUNK_BYTES = 1 << 16;
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    public SafeTensors {
        if (tensors.containsKey(METADATA_KEY)) {
            throw new IllegalArgumentException(METADATA_KEY + " is reserved for metadata and cannot name a tensor");
        }
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = Collections.unmodifiableMap(new TreeMap<>(metadata));
    }

    /** Element types this reader understands, with their sizes and conversions to float. */
    private enum Dtype {
        F32(4), F16(2), BF16(2);

        final int bytes;

        Dtype(int bytes) {
            this.bytes = bytes;
        }

        /** Decodes {@code count} elements from {@code in} (little-endian) into {@code out[at..]}. */
        void decode(ByteBuffer in, float[] out, int at, int count) {
            switch (this) {
                case F32 -> in.asFloatBuffer().get(out, at, count);
                case F16 -> {
                    for (int i = 0; i < count; i++) {
                        out[at + i] = halfToFloat(in.getShort(i * 2));
                    }
                }
                case BF16 -> {
                    for (int i = 0; i < count; i++) {
                        out[at + i] = Float.intBitsToFloat(in.getShort(i * 2) << 16);
                    }
                }
            }
        }
    }

    /**
     * IEEE 754 binary16 to binary32: sign, 5-bit exponent (bias 15), 10-bit mantissa. Normal
     * numbers re-bias the exponent to 127; subnormals are mantissa * 2^-24; all-ones exponent is
     * infinity or NaN.
     */
    static float halfToFloat(short bits) {
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float subnormal = mantissa * 0x1p-24f;
            return sign == 0 ? subnormal : -subnormal;
        }
        return Float.intBitsToFloat(sign | ((exponent + 127 - 15) << 23) | (mantissa << 13));
    }

    /** One header entry: where a tensor's bytes lie in the data section. */
    private record Entry(String name, Dtype dtype, int[] shape, long begin, long end) {}

    /** A parsed, validated header: the metadata and the entries in data order. */
    private record Header(Map<String, String> metadata, List<Entry> entries) {}

    // ---------------------------------------------------------------- reading

    /** Reads a whole safetensors file; errors name {@code file}. */
    public static SafeTensors read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /**
     * Reads a safetensors file from a stream positioned at its start, to its end.
     *
     * @param source names the file in error messages (a path or URI)
     * @throws IOException if the stream fails or its bytes are not a readable safetensors file:
     *     truncated, header length beyond the file, bad JSON, unsupported dtype, data_offsets
     *     that do not match the shape or do not tile the data section
     */
    public static SafeTensors read(InputStream in, String source) throws IOException {
        Header header = readHeader(in, source);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        byte[] chunk = new byte[CHUNK_BYTES];
        for (Entry e : header.entries) {
            tensors.put(e.name, readData(in, e, chunk, source));
        }
        if (in.read() != -1) {
            long declared = header.entries.isEmpty() ? 0 : header.entries.get(header.entries.size() - 1).end;
            throw new IOException(source + " has bytes after its last tensor: the header declares a data section of "
                    + declared + " bytes");
        }
        return new SafeTensors(tensors, header.metadata);
    }

    /**
     * The {@code __metadata__} of {@code file} (empty if it has none), reading only the header,
     * which is validated as by {@link #read(Path)}; the data section is not read.
     */
    public static Map<String, String> readMetadata(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return readMetadata(in, file.toString());
        }
    }

    /** As {@link #readMetadata(Path)}, from a stream positioned at the file's start; {@code source} names it in errors. */
    public static Map<String, String> readMetadata(InputStream in, String source) throws IOException {
        return Collections.unmodifiableMap(new TreeMap<>(readHeader(in, source).metadata));
    }

    /** Reads the length and the header from {@code in}, leaving it at the start of the data section. */
    private static Header readHeader(InputStream in, String source) throws IOException {
        byte[] lengthBytes = in.readNBytes(8);
        if (lengthBytes.length < 8) {
            throw new IOException(source + " is truncated: " + lengthBytes.length
                    + " bytes, but a safetensors file starts with an 8-byte header length");
        }
        long headerLength = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerLength < 0 || headerLength > MAX_HEADER_BYTES) {
            throw new IOException(source + ": header length " + Long.toUnsignedString(headerLength)
                    + " exceeds the " + MAX_HEADER_BYTES + "-byte limit; the file is corrupt or not safetensors");
        }
        byte[] header = in.readNBytes((int) headerLength);
        if (header.length < headerLength) {
            throw new IOException(source + " is truncated: header length " + headerLength
                    + " runs past the end of the file (only " + header.length + " bytes follow it)");
        }
        JsonNode root;
        try {
            root = JSON.readTree(header);
        } catch (JacksonException e) {
            throw new IOException(source + ": header is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException(source + ": header is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (field.getKey().equals(METADATA_KEY)) {
                parseMetadata(field.getValue(), source, metadata);
            } else {
                entries.add(parseEntry(field.getKey(), field.getValue(), source));
            }
        }
        entries.sort(Comparator.comparingLong(Entry::begin));
        long expectedBegin = 0;
        for (Entry e : entries) {
            if (e.begin != expectedBegin) {
                throw new IOException(source + ": tensor " + e.name + " starts at data byte " + e.begin
                        + ", expected " + expectedBegin + " (tensors must tile the data section without gaps or overlaps)");
            }
            expectedBegin = e.end;
        }
        return new Header(metadata, entries);
    }

    private static void parseMetadata(JsonNode node, String source, Map<String, String> into) throws IOException {
        if (!node.isObject()) {
            throw new IOException(source + ": " + METADATA_KEY + " is not a JSON object of strings");
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!field.getValue().isTextual()) {
                throw new IOException(source + ": " + METADATA_KEY + " value of " + field.getKey()
                        + " is " + field.getValue() + ", not a string");
            }
            into.put(field.getKey(), field.getValue().textValue());
        }
    }

    private static Entry parseEntry(String name, JsonNode node, String source) throws IOException {
        String where = source + ": tensor " + name;
        JsonNode dtypeNode = node.get("dtype");
        JsonNode shapeNode = node.get("shape");
        JsonNode offsetsNode = node.get("data_offsets");
        if (dtypeNode == null || !dtypeNode.isTextual() || shapeNode == null || !shapeNode.isArray()
                || offsetsNode == null || !offsetsNode.isArray() || offsetsNode.size() != 2) {
            throw new IOException(where + " needs \"dtype\" (string), \"shape\" (array) and \"data_offsets\" "
                    + "([begin, end]), got " + node);
        }
        Dtype dtype;
        try {
            dtype = Dtype.valueOf(dtypeNode.textValue());
        } catch (IllegalArgumentException e) {
            throw new IOException(where + " has dtype " + dtypeNode.textValue()
                    + "; only F32, F16 and BF16 can be read", e);
        }
        int[] shape = new int[shapeNode.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || d.longValue() <= 0 || d.longValue() > Integer.MAX_VALUE) {
                throw new IOException(where + " has shape " + shapeNode + "; sizes must be positive ints");
            }
            shape[i] = d.intValue();
            count *= shape[i];
            if (count > Integer.MAX_VALUE - 8) {
                throw new IOException(where + " has shape " + shapeNode + ", over 2^31 elements");
            }
        }
        long begin = offsetsNode.get(0).asLong(-1);
        long end = offsetsNode.get(1).asLong(-1);
        if (!offsetsNode.get(0).isIntegralNumber() || !offsetsNode.get(1).isIntegralNumber() || begin < 0 || end < begin) {
            throw new IOException(where + " has data_offsets " + offsetsNode + "; expected [begin, end] with 0 <= begin <= end");
        }
        long needed = count * dtype.bytes;
        if (end - begin != needed) {
            throw new IOException(where + " has data_offsets " + offsetsNode + " holding " + (end - begin)
                    + " bytes, but " + dtype + " shape " + Arrays.toString(shape) + " needs " + needed);
        }
        return new Entry(name, dtype, shape, begin, end);
    }

    private static Tensor readData(InputStream in, Entry e, byte[] chunk, String source) throws IOException {
        Tensor t = Tensor.zeros(e.shape);
        int elementsPerChunk = chunk.length / e.dtype.bytes;
        for (int at = 0; at < t.size(); at += elementsPerChunk) {
            int count = Math.min(elementsPerChunk, t.size() - at);
            int bytes = count * e.dtype.bytes;
            int got = in.readNBytes(chunk, 0, bytes);
            if (got < bytes) {
                throw new IOException(source + " is truncated: tensor " + e.name + " needs data bytes [" + e.begin
                        + ", " + e.end + "), but the file ends at data byte " + (e.begin + (long) at * e.dtype.bytes + got));
            }
            e.dtype.decode(ByteBuffer.wrap(chunk, 0, bytes).order(ByteOrder.LITTLE_ENDIAN), t.data, at, count);
        }
        return t;
    }

    // ---------------------------------------------------------------- writing

    /**
     * Writes this file atomically: to a temporary file {@code .NAME.<uuid>.tmp} in the same
     * directory, flushed to disk, then renamed over {@code file}. On failure the temporary file is deleted and {@code file}
     * is untouched.
     */
    public void write(Path file) throws IOException {
        Path target = file.toAbsolutePath();
        Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                    OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel), CHUNK_BYTES)) {
                write(out);
                out.flush();
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (Throwable e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** Writes this file (all tensors as F32) to {@code out}, which is left open. */
    public void write(OutputStream out) throws IOException {
        byte[] header = header();
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).array());
        out.write(header);
        ByteBuffer chunk = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        int floatsPerChunk = CHUNK_BYTES / Float.BYTES;
        for (Tensor t : tensors.values()) {
            for (int at = 0; at < t.size(); at += floatsPerChunk) {
                int count = Math.min(floatsPerChunk, t.size() - at);
                chunk.asFloatBuffer().put(t.data, at, count);
                out.write(chunk.array(), 0, count * Float.BYTES);
            }
        }
    }

    /** The JSON header in UTF-8, padded with spaces to a multiple of 8 bytes. */
    private byte[] header() throws IOException {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(METADATA_KEY);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor t = e.getValue();
            ObjectNode info = root.putObject(e.getKey());
            info.put("dtype", Dtype.F32.name());
            ArrayNode shape = info.putArray("shape");
            for (int d : t.shape()) {
                shape.add(d);
            }
            long end = offset + (long) t.size() * Float.BYTES;
            info.putArray("data_offsets").add(offset).add(end);
            offset = end;
        }
        byte[] json = JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
        byte[] padded = Arrays.copyOf(json, (json.length + 7) / 8 * 8);
        Arrays.fill(padded, json.length, padded.length, (byte) ' ');
        return padded;
    }
}
