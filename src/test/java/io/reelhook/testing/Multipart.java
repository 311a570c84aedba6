package io.reelhook.testing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Parses a multipart/form-data body as a server would, to check what Reelhook sent upstream. */
public final class Multipart {

    public record Part(Map<String, String> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private Multipart() {}

    /** Parts by name, in order. */
    public static Map<String, Part> parse(String contentType, byte[] body) {
        String boundary = contentType.replaceFirst(".*boundary=\"?([^\";]+)\"?.*", "$1");
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
        Map<String, Part> parts = new LinkedHashMap<>();
        int at = indexOf(body, delimiter, 0);
        while (at >= 0) {
            int start = at + delimiter.length;
            if (body[start] == '-' && body[start + 1] == '-') {
                break;
            }
            start += 2;
            int next = indexOf(body, delimiter, start);
            int headersEnd = indexOf(body, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), start);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line : new String(body, start, headersEnd - start, StandardCharsets.UTF_8).split("\r\n")) {
                int colon = line.indexOf(':');
                headers.put(
                        line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        line.substring(colon + 1).trim());
            }
            byte[] content = Arrays.copyOfRange(body, headersEnd + 4, next - 2);
            String name = headers.get("content-disposition").replaceFirst(".*\\bname=\"([^\"]*)\".*", "$1");
            parts.put(name, new Part(headers, content));
            at = next;
        }
        return parts;
    }

    private static int indexOf(byte[] haystack, byte[] needle, int from) {
        outer:
        for (int i = from; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
