package io.reelhook.security;

import io.restassured.path.json.JsonPath;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, so that a request target goes out exactly as written: HTTP clients normalise
 * {@code /./}, {@code //} and percent-escapes, which is the very thing under test. Reads the status and headers,
 * and a body only when its length is declared (an event stream's is not, and is left unread).
 */
final class RawHttp {

    record Answer(int status, Map<String, String> headers, String body) {

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        JsonPath json() {
            return JsonPath.from(body);
        }

        @Override
        public String toString() {
            return status + " " + headers.getOrDefault("content-type", "") + " " + body;
        }
    }

    private RawHttp() {}

    static Answer send(int port, String method, String target, Map<String, String> headers, byte[] body)
            throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            return send(socket, method, target, headers, body, body.length);
        }
    }

    /**
     * Declares the whole body but sends only its first {@code written} bytes before reading the answer: an answer
     * then shows that the server decided without the rest. The caller closes the socket.
     */
    static Answer send(
            Socket socket, String method, String target, Map<String, String> headers, byte[] body, int written)
            throws IOException {
        if (socket.getSoTimeout() == 0) {
            socket.setSoTimeout(20_000);
        }
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n"
                + "Connection: close\r\nContent-Length: " + body.length + "\r\n");
        headers.forEach(
                (name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(body, 0, written);
        out.flush();
        InputStream in = socket.getInputStream();
        String statusLine = line(in);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, String> answerHeaders = new LinkedHashMap<>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            answerHeaders.put(
                    line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    line.substring(colon + 1).trim());
        }
        String length = answerHeaders.get("content-length");
        String text = "";
        if (length != null) {
            text = new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.UTF_8);
        } else if ("chunked".equalsIgnoreCase(answerHeaders.get("transfer-encoding"))
                && !answerHeaders.getOrDefault("content-type", "").startsWith("text/event-stream")) {
            text = chunked(in);
        }
        return new Answer(status, answerHeaders, text);
    }

    private static String chunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int size = Integer.parseInt(line(in).split(";")[0].trim(), 16);
                size > 0;
                size = Integer.parseInt(line(in).split(";")[0].trim(), 16)) {
            body.write(in.readNBytes(size));
            line(in);
        }
        return body.toString(StandardCharsets.UTF_8);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                throw new IOException("the connection closed inside the answer's head");
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
