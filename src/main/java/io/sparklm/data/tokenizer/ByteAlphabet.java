package io.sparklm.data.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * GPT-2's printable alphabet for bytes ({@code bytes_to_unicode} in OpenAI's {@code encoder.py},
 * Radford et al. 2019), so that byte-level tokens read as text in {@code tokenizer.json}.
 *
 * <p>The 188 bytes that are printable Latin-1 ({@code '!'..'~'}, {@code '¡'..'¬'},
 * {@code '®'..'ÿ'}) stand for themselves; the other 68 (controls, space, DEL, NBSP, soft hyphen)
 * map in increasing order to U+0100, U+0101, ..., so a space is {@code 'Ġ'} (U+0120) and a newline
 * {@code 'Ċ'} (U+010A). GPT-2 numbers its byte tokens in the same order: the printable bytes in
 * increasing order are ids 0..187 and the others ids 188..255, given by {@link #byteOfId(int)}.
 */
final class ByteAlphabet {
    /** The byte for each of the 256 byte-token ids, in GPT-2's order. */
    private static final int[] BYTE_OF_ID = new int[256];
    /** The character that stands for each byte. */
    private static final char[] CHAR_OF_BYTE = new char[256];
    /** The byte for each character U+0000..U+0143, or -1 where the character stands for no byte. */
    private static final int[] BYTE_OF_CHAR = new int[256 + 68];

    static {
        int id = 0;
        for (int b = 0; b < 256; b++) {
            if (isPrintable(b)) {
                BYTE_OF_ID[id++] = b;
                CHAR_OF_BYTE[b] = (char) b;
            }
        }
        int extra = 0;
        for (int b = 0; b < 256; b++) {
            if (!isPrintable(b)) {
                BYTE_OF_ID[id++] = b;
                CHAR_OF_BYTE[b] = (char) (256 + extra++);
            }
        }
        Arrays.fill(BYTE_OF_CHAR, -1);
        for (int b = 0; b < 256; b++) {
            BYTE_OF_CHAR[CHAR_OF_BYTE[b]] = b;
        }
    }

    private ByteAlphabet() {
    }

    private static boolean isPrintable(int b) {
        return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    }

    /** The byte (0..255) that GPT-2 numbers {@code id} among its 256 byte tokens. */
    static int byteOfId(int id) {
        return BYTE_OF_ID[id];
    }

    /** The one-character string that stands for byte {@code b} (0..255). */
    static String symbolOf(int b) {
        return String.valueOf(CHAR_OF_BYTE[b & 0xFF]);
    }

    /** {@code bytes} written in the alphabet, one character per byte. */
    static String toSymbols(byte[] bytes) {
        char[] chars = new char[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            chars[i] = CHAR_OF_BYTE[bytes[i] & 0xFF];
        }
        return new String(chars);
    }

    /**
     * The bytes a string of the alphabet stands for.
     *
     * @throws IllegalArgumentException naming the first character that stands for no byte
     */
    static byte[] toBytes(String symbols) {
        byte[] bytes = new byte[symbols.length()];
        for (int i = 0; i < bytes.length; i++) {
            char c = symbols.charAt(i);
            int b = c < BYTE_OF_CHAR.length ? BYTE_OF_CHAR[c] : -1;
            if (b < 0) {
                throw new IllegalArgumentException("'" + c + "' (U+" + String.format("%04X", (int) c)
                        + ") at index " + i + " of \"" + symbols + "\" is not a byte of GPT-2's byte alphabet");
            }
            bytes[i] = (byte) b;
        }
        return bytes;
    }

    /**
     * The UTF-8 bytes of {@code text}, with each unpaired surrogate written as U+FFFD (bytes
     * EF BF BD), as tiktoken does; Java's {@code getBytes} would write {@code '?'} instead.
     */
    static byte[] utf8(String text) {
        StringBuilder repaired = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                if (repaired == null) {
                    repaired = new StringBuilder(text);
                }
                repaired.setCharAt(i, '\uFFFD');
            }
        }
        return (repaired == null ? text : repaired.toString()).getBytes(StandardCharsets.UTF_8);
    }
}
