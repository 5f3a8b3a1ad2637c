package io.sparklm.data.tokenizer;

import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import io.sparklm.data.corpus.EmbeddedCorpus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ByteBpeTest {
    static final String ENGLISH = "Hello, world! It's 2024 and we're testing GPT-2's tokenizer.\n"
            + "They'll say \"don't\"; I'd've paid $3.14 for 100,000 items (50%).   Three spaces,\n\n\ttab and\r\nCRLF.  "
            + "HELLO World's END...!?";
    static final String PERSIAN = "سلام دنیا! امروز ۲۵ اسفند ۱۴۰۲ است و ساعت 10:30 است.\n"
            + "زبان فارسی، زبانی زیبا است؟  بله «البته» — کتاب‌ها را خواندم.";
    static final String RUSSIAN = "Привет, мир! Сегодня 15 марта 2024 года.\n"
            + "Ёжик в тумане — это мультфильм 1975 г.   «Кавычки», т.д. и т.п.; ЗАГЛАВНЫЕ буквы?";
    static final String CHINESE = "你好，世界！今天是2024年3月15日。\n"
            + "自然语言处理（NLP）很有趣。  我们测试一下：“引号”和《书名号》。第1,234个字。";
    static final String AZERBAIJANI = "Salam, dünya! Bu gün 2024-cü ilin martın 15-idir.\n"
            + "Azərbaycan dili çox gözəldir; şəhər, ağac, ölkə, İstanbul, Iğdır.   Necəsən? Yaxşıyam!";
    static final String SYMBOLS = "Emoji 😀👍🏽 and NBSP\u00a0here, ideographic\u3000space, zero\u200bwidth, "
            + "math ∑x² ≤ 10⁶, café naïve \u0301accent, tabs\t\t\nend \n";
    static final List<String> SAMPLES = List.of(ENGLISH, PERSIAN, RUSSIAN, CHINESE, AZERBAIJANI, SYMBOLS);

    static final ByteBpe GPT2 = ByteBpe.gpt2();
    static final Encoding R50K = Encodings.newDefaultEncodingRegistry().getEncoding(EncodingType.R50K_BASE);

    @TempDir
    Path dir;

    @Test
    void gpt2GivesJtokkitsIdsInFiveLanguagesAndDecodesBack() {
        for (String text : SAMPLES) {
            int[] ids = GPT2.encode(text);
            assertArrayEquals(R50K.encode(text).toArray(), ids, text);
            assertEquals(text, GPT2.decode(ids));
        }
    }

    @Test
    void gpt2GivesJtokkitsIdsOnTheEmbeddedCorpus() {
        String text = EmbeddedCorpus.englishText(200_000);
        assertArrayEquals(R50K.encode(text).toArray(), GPT2.encode(text));
    }

    @Test
    void gpt2GivesJtokkitsIdsOnRandomMixturesOfScripts() {
        int[] pool = "aAz 's'tre’ 09١۲\n\t\r.,!?-\"()éşəİЁжسلام你好😀\u00a0\u3000\u200b\u0301".codePoints().toArray();
        Random random = new Random(7);
        for (int i = 0; i < 2000; i++) {
            StringBuilder text = new StringBuilder();
            for (int n = 1 + random.nextInt(30); n > 0; n--) {
                int codePoint = random.nextInt(20) == 0 ? 1 + random.nextInt(0x2FFFF) : pool[random.nextInt(pool.length)];
                text.appendCodePoint(Character.isSurrogate((char) codePoint) && codePoint < 0x10000 ? 'x' : codePoint);
            }
            String sample = text.toString();
            assertArrayEquals(R50K.encode(sample).toArray(), GPT2.encode(sample), sample);
            assertEquals(sample, GPT2.decode(GPT2.encode(sample)));
        }
    }

    @Test
    void gpt2KnownIds() {
        assertEquals(50257, GPT2.vocabSize());
        assertArrayEquals(new int[] {15496, 995}, GPT2.encode("Hello world"));
        assertEquals(50256, GPT2.specialId(ByteBpe.END_OF_TEXT));
        assertEquals(OptionalInt.of(50256), GPT2.endOfText());
        assertArrayEquals(new int[] {15496, 50256, 995}, GPT2.encode("Hello<|endoftext|> world"));
        assertEquals("Hello<|endoftext|> world", GPT2.decode(new int[] {15496, 50256, 995}));
    }

    @Test
    void tokensAreReadableInGpt2sByteAlphabet() {
        ObjectNode json = GPT2.toJson();
        assertEquals("bpe", json.get("type").textValue());
        assertEquals(995, json.get("vocab").get("Ġworld").intValue());
        assertEquals(198, json.get("vocab").get("Ċ").intValue());
        assertEquals("Ġ t", json.get("merges").get(0).textValue());
        assertEquals(50000, json.get("merges").size());
        assertEquals(50256, json.get("special").get("<|endoftext|>").intValue());
    }

    @Test
    void unpairedSurrogatesEncodeAsReplacementCharacter() {
        assertArrayEquals(GPT2.encode("a\uFFFDb"), GPT2.encode("a\uD800b"));
        assertEquals("\uFFFD\uD83D\uDE00", GPT2.decode(GPT2.encode("\uDE00\uD83D\uDE00")));
    }

    @Test
    void decodeRejectsIdsOutsideTheVocabulary() {
        String message = assertThrows(IllegalArgumentException.class, () -> GPT2.decode(new int[] {0, 50257})).getMessage();
        assertEquals("token id 50257 at position 1 is outside the vocabulary [0, 50257)", message);
    }

    @Test
    void savedAndLoadedGivesTheSameEncodingsAndHash() throws IOException {
        Path file = dir.resolve("tokenizer.json");
        GPT2.save(file);
        Tokenizer loaded = Tokenizer.load(file);
        assertInstanceOf(ByteBpe.class, loaded);
        assertEquals(GPT2.hash(), loaded.hash());
        for (String text : SAMPLES) {
            assertArrayEquals(GPT2.encode(text), loaded.encode(text));
        }
    }

    @Test
    void javaSerializationKeepsTheTokenizer() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(GPT2);
        }
        ByteBpe copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (ByteBpe) in.readObject();
        }
        assertEquals(GPT2.hash(), copy.hash());
        assertArrayEquals(GPT2.encode(RUSSIAN), copy.encode(RUSSIAN));
    }

    @Test
    void malformedJsonIsAnIOExceptionNamingFileAndProblem() throws IOException {
        Map<String, Integer> bytes = byteVocab();
        assertLoadFails("{\"type\":\"bpe\",\"merges\":[]}", "needs a \"vocab\" object of token: id");
        assertLoadFails(json(Map.of("a", 0), List.of(), Map.of()), "vocab has no token for byte 0x00 (\"Ā\")");
        assertLoadFails(json(bytes, List.of("a b"), Map.of()), "merge 0 \"a b\": \"ab\" is not in the vocab");
        assertLoadFails(json(bytes, List.of("ab"), Map.of()), "merge 0 \"ab\" is not two tokens separated by one space");
        assertLoadFails(json(bytes, List.of(), Map.of("<s>", 7)), "id 7 is given to both");
        assertLoadFails(json(bytes, List.of(), Map.of("<s>", 300)), "\"<s>\" has id 300, outside [0, 257)");
        assertLoadFails("{\"type\":\"bpe\",\"vocab\":{\"a\":\"x\"},\"merges\":[]}", "vocab token \"a\" has id \"x\", not an integer");
        assertLoadFails("{\"type\":\"bpe\",\"vocab\":{\" \":0},\"merges\":[]}", "vocab token \" \": ' ' (U+0020) at index 0");
    }

    /** The 256 byte tokens with GPT-2's ids. */
    static Map<String, Integer> byteVocab() {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (int id = 0; id < 256; id++) {
            vocab.put(ByteAlphabet.symbolOf(ByteAlphabet.byteOfId(id)), id);
        }
        return vocab;
    }

    private static String json(Map<String, Integer> vocab, List<String> merges, Map<String, Integer> special) throws IOException {
        return new JsonMapper().writeValueAsString(Map.of("type", "bpe", "vocab", vocab, "merges", merges, "special", special));
    }

    private void assertLoadFails(String json, String expected) throws IOException {
        Path file = dir.resolve("bad.json");
        Files.writeString(file, json);
        String message = assertThrows(IOException.class, () -> Tokenizer.load(file)).getMessage();
        assertTrue(message.startsWith(file.toString()) && message.contains(expected), message);
    }
}
