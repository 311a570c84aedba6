package io.reelhook.twelvelabs;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The pieces of a multipart/form-data body that Reelhook streams to Twelve Labs ({@code POST /tasks}, {@code POST
 * /assets}): text fields, a file part around a file streamed from the spool, the closing delimiter.
 */
final class FormParts {

    private FormParts() {}

    /** A part per field whose value is not null, in the map's order. */
    static InputStream fields(Map<String, ?> fields, String boundary) {
        StringBuilder form = new StringBuilder();
        fields.forEach((name, value) -> {
            if (value != null) {
                form.append("--")
                        .append(boundary)
                        .append("\r\nContent-Disposition: form-data; name=\"")
                        .append(name)
                        .append("\"\r\n\r\n")
                        .append(value)
                        .append("\r\n");
            }
        });
        return bytes(form.toString());
    }

    /** The head of a file part; its bytes follow, then {@link #afterFile()}. */
    static InputStream fileHead(String name, String filename, String boundary) {
        return bytes("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + name + "\"; filename=\""
                + quoted(filename) + "\"\r\nContent-Type: application/octet-stream\r\n\r\n");
    }

    static InputStream afterFile() {
        return bytes("\r\n");
    }

    static InputStream end(String boundary) {
        return bytes("--" + boundary + "--\r\n");
    }

    /** HTML's form encoding of a quoted header value: what browsers and Python's urllib3 send. */
    private static String quoted(String value) {
        return value.replace("\"", "%22").replace("\r", "%0D").replace("\n", "%0A");
    }

    private static InputStream bytes(String text) {
        return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
    }
}
