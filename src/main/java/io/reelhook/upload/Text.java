package io.reelhook.upload;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** Decoding a form's bytes strictly: what cannot be decoded is the client's error, never a replacement character. */
final class Text {

    private Text() {}

    /** Strict UTF-8: text that PostgreSQL would refuse is refused here, not after Twelve Labs made the task. */
    static String utf8(byte[] bytes, int offset, int length, String what) throws MultipartReader.MalformedException {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MultipartReader.MalformedException(what + " is not valid UTF-8");
        }
    }

    /** RFC 5987 {@code charset'language'percent-encoded}, UTF-8 or ISO-8859-1; anything else is malformed. */
    static String extendedValue(String value) throws MultipartReader.MalformedException {
        int first = value.indexOf('\'');
        int quote = first < 0 ? -1 : value.indexOf('\'', first + 1);
        if (quote < 0) {
            throw new MultipartReader.MalformedException("filename* is not charset'language'value");
        }
        String charset = value.substring(0, first).trim().toLowerCase(Locale.ROOT);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        String encoded = value.substring(quote + 1);
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                int high = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
                int low = high < 0 ? -1 : Character.digit(encoded.charAt(i + 2), 16);
                if (low < 0) {
                    throw new MultipartReader.MalformedException("filename* has a malformed percent-escape");
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else if (c < 0x80) {
                bytes.write(c);
            } else {
                throw new MultipartReader.MalformedException("filename* has a character that is not percent-encoded");
            }
        }
        return switch (charset) {
            case "utf-8" -> utf8(bytes.toByteArray(), 0, bytes.size(), "filename*");
            case "iso-8859-1" -> bytes.toString(StandardCharsets.ISO_8859_1);
            default -> throw new MultipartReader.MalformedException("filename* has an unknown charset");
        };
    }
}
