package io.sparklm.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path dir;

    /** 8-byte little-endian length, then the header as given (no padding added), then the data. */
    private static byte[] file(String header, byte... data) {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + json.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(json.length).put(json).put(data).array();
    }

    private static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    private static byte[] written(SafeTensors file) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        file.write(out);
        return out.toByteArray();
    }

    private static SafeTensors read(byte[] bytes) throws IOException {
        return SafeTensors.read(new ByteArrayInputStream(bytes), "test.safetensors");
    }

    private static String readError(byte[] bytes) {
        return assertThrows(IOException.class, () -> read(bytes)).getMessage();
    }

    @Test
    void roundTripKeepsNamesOrderShapesBitExactValuesAndMetadata() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("z.first", Tensor.of(new float[] {
                -0.0f, Float.MIN_VALUE, Float.intBitsToFloat(0x7fc00123), Float.NEGATIVE_INFINITY, 1e-30f, 3.14159f}, 2, 3));
        tensors.put("scalar", Tensor.of(new float[] {42f}));
        Tensor big = Tensor.zeros(3, 100, 70);   // 21,000 floats: more than one 64 KiB chunk
        for (int i = 0; i < big.size(); i++) {
            big.data[i] = (float) Math.sin(i) * 1e3f;
        }
        tensors.put("a.big", big);
        Map<String, String> metadata = Map.of("format", "pt", "step", "120");
        Path path = dir.resolve("model.safetensors");

        new SafeTensors(tensors, metadata).write(path);
        SafeTensors back = SafeTensors.read(path);

        assertEquals(List.of("z.first", "scalar", "a.big"), List.copyOf(back.tensors().keySet()));
        assertEquals(metadata, back.metadata());
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            Tensor got = back.tensors().get(e.getKey());
            assertArrayEquals(e.getValue().shape(), got.shape());
            for (int i = 0; i < got.size(); i++) {
                assertEquals(Float.floatToRawIntBits(e.getValue().data[i]), Float.floatToRawIntBits(got.data[i]));
            }
        }
    }

    @Test
    void writesTheFormatByteForByte() throws IOException {
        String header = "{\"__metadata__\":{\"format\":\"pt\"},\"wte\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,16]}}";
        assertEquals(90, header.length());
        byte[] expected = file(header + "      ",    // padded to 96, a multiple of 8
                bytes(0, 0, 0x80, 0x3f,            // 1.0f little-endian
                        0, 0, 0, 0x40,             // 2.0f
                        0, 0, 0x40, 0x40,          // 3.0f
                        0, 0, 0x80, 0x40));        // 4.0f
        assertEquals(96, ByteBuffer.wrap(expected).order(ByteOrder.LITTLE_ENDIAN).getLong());

        Map<String, Tensor> tensors = Map.of("wte", Tensor.matrix(new double[] {1, 2}, new double[] {3, 4}));
        assertArrayEquals(expected, written(new SafeTensors(tensors, Map.of("format", "pt"))));

        SafeTensors parsed = read(expected);
        assertArrayEquals(new int[] {2, 2}, parsed.tensors().get("wte").shape());
        assertArrayEquals(new float[] {1, 2, 3, 4}, parsed.tensors().get("wte").data);
        assertEquals(Map.of("format", "pt"), parsed.metadata());
    }

    @Test
    void matchesTheReferenceImplementationsAlignmentTestVector() throws IOException {
        // safetensors/src/tensor.rs test_serialization_forced_alignement: a 65-byte header gets 7 spaces.
        Tensor attn0 = Tensor.of(new float[] {0, 1, 2, 3, 4, 5}, 1, 1, 2, 3);
        byte[] out = written(new SafeTensors(Map.of("attn0", attn0), Map.of()));

        String header = "{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}";
        assertEquals(72, ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).getLong());
        assertEquals(header + "       ", new String(out, 8, 72, StandardCharsets.UTF_8));
        assertEquals(8 + 72 + 24, out.length);
    }

    @Test
    void readMetadataReadsOnlyTheHeader() throws IOException {
        // The header promises 16 data bytes that are not there: only a full read notices.
        Path path = dir.resolve("header-only.safetensors");
        Files.write(path, file("{\"__metadata__\":{\"sparklm.config\":\"{}\"},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}"));

        assertEquals(Map.of("sparklm.config", "{}"), SafeTensors.readMetadata(path));
        assertThrows(IOException.class, () -> SafeTensors.read(path));
    }

    @Test
    void readsTensorsInDataOrderWhateverTheHeaderOrder() throws IOException {
        byte[] bytes = file("{\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]},"
                        + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
                bytes(0, 0, 0x80, 0x3f, 0, 0, 0, 0x40));
        SafeTensors parsed = read(bytes);
        assertEquals(List.of("a", "b"), List.copyOf(parsed.tensors().keySet()));
        assertEquals(1f, parsed.tensors().get("a").data[0]);
        assertEquals(2f, parsed.tensors().get("b").data[0]);
        assertEquals(Map.of(), parsed.metadata());
    }

    @Test
    void convertsHalfAndBfloat16ToFloat() throws IOException {
        byte[] bytes = file("{\"h\":{\"dtype\":\"F16\",\"shape\":[5],\"data_offsets\":[0,10]},"
                        + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[10,14]}}",
                bytes(0x00, 0x3c, 0x00, 0xc0, 0xff, 0x7b, 0x01, 0x00, 0x00, 0x7c,   // 1, -2, 65504, 2^-24, +inf
                        0x80, 0x3f, 0x49, 0x40));                                   // 1, 3.140625
        SafeTensors parsed = read(bytes);
        assertArrayEquals(new float[] {1f, -2f, 65504f, 0x1p-24f, Float.POSITIVE_INFINITY}, parsed.tensors().get("h").data);
        assertArrayEquals(new float[] {1f, 3.140625f}, parsed.tensors().get("b").data);
    }

    @Test
    void halfToFloatCoversNormalsSubnormalsZerosAndNaN() {
        assertEquals(0x1p-14f, SafeTensors.halfToFloat((short) 0x0400));        // smallest normal
        assertEquals(0x3ffp-24f, SafeTensors.halfToFloat((short) 0x03ff));      // largest subnormal
        assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(SafeTensors.halfToFloat((short) 0x8000)));
        assertEquals(0.333251953125f, SafeTensors.halfToFloat((short) 0x3555));
        assertTrue(Float.isNaN(SafeTensors.halfToFloat((short) 0x7e00)));
    }

    @Test
    void fileShorterThanTheLengthFieldIsTruncated() {
        String message = readError(bytes(16, 0, 0));
        assertTrue(message.contains("test.safetensors is truncated: 3 bytes"), message);
    }

    @Test
    void headerLengthBeyondTheFileIsTruncated() {
        byte[] bytes = file("{}");
        bytes[0] = 100;
        String message = readError(bytes);
        assertTrue(message.contains("test.safetensors is truncated: header length 100 runs past the end of the file (only 2 bytes"), message);
    }

    @Test
    void absurdHeaderLengthIsNotSafetensors() {
        String message = readError("hello world, this is text".getBytes(StandardCharsets.US_ASCII));
        assertTrue(message.contains("test.safetensors: header length") && message.contains("not safetensors"), message);
    }

    @Test
    void badJsonIsReported() {
        String message = readError(file("{\"w\":{\"dtype\":"));
        assertTrue(message.startsWith("test.safetensors: header is not valid JSON"), message);
        assertTrue(readError(file("[1,2]")).contains("header is not a JSON object"));
        assertTrue(readError(file("{\"a\":{}} x")).contains("header is not valid JSON"));
    }

    @Test
    void unsupportedDtypeIsNamed() {
        String message = readError(file("{\"ids\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", new byte[8]));
        assertTrue(message.contains("test.safetensors: tensor ids has dtype I64; only F32, F16 and BF16"), message);
    }

    @Test
    void dataOffsetsMustMatchTheShape() {
        String message = readError(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,2],\"data_offsets\":[0,12]}}", new byte[12]));
        assertTrue(message.contains("test.safetensors: tensor w has data_offsets [0,12] holding 12 bytes, but F32 shape [2, 2] needs 16"), message);
    }

    @Test
    void tensorsMustTileTheDataSection() {
        String gap = readError(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", new byte[12]));
        assertTrue(gap.contains("tensor b starts at data byte 8, expected 4"), gap);
        String trailing = readError(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[6]));
        assertTrue(trailing.contains("test.safetensors has bytes after its last tensor"), trailing);
    }

    @Test
    void missingTensorDataIsTruncated() {
        String message = readError(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", new byte[10]));
        assertTrue(message.contains("test.safetensors is truncated: tensor w needs data bytes [0, 16), but the file ends at data byte 10"), message);
    }

    @Test
    void readingAPathNamesTheFile() throws IOException {
        Path path = dir.resolve("broken.safetensors");
        Files.write(path, bytes(1, 2, 3));
        String message = assertThrows(IOException.class, () -> SafeTensors.read(path)).getMessage();
        assertTrue(message.startsWith(path + " is truncated"), message);
    }

    @Test
    void atomicWriteReplacesTheFileAndLeavesNoTemporaryFiles() throws IOException {
        Path path = dir.resolve("model.safetensors");
        new SafeTensors(Map.of("w", Tensor.of(new float[] {1f})), Map.of()).write(path);
        new SafeTensors(Map.of("w", Tensor.of(new float[] {2f})), Map.of()).write(path);

        assertEquals(2f, SafeTensors.read(path).tensors().get("w").data[0]);
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(path), files.toList());
        }
    }

    @Test
    void failedWriteDeletesItsTemporaryFile() throws IOException {
        Path target = Files.createDirectories(dir.resolve("model.safetensors"));
        Files.writeString(target.resolve("occupant"), "a non-empty directory cannot be replaced");

        assertThrows(IOException.class,
                () -> new SafeTensors(Map.of("w", Tensor.of(new float[] {1f})), Map.of()).write(target));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(target), files.toList());
        }
    }

    @Test
    void metadataKeyCannotNameATensor() {
        assertThrows(IllegalArgumentException.class,
                () -> new SafeTensors(Map.of("__metadata__", Tensor.of(new float[] {1f})), Map.of()));
    }
}
