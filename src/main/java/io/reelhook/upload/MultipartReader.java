package io.reelhook.upload;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a multipart/form-data body (RFC 7578) part by part as it arrives. A part's content goes straight from the
 * request to its destination, so a 2 GB video is never held in memory and can be forwarded while it is received;
 * Quarkus' own multipart handling would store the whole body before the resource sees any of it.
 */
public final class MultipartReader {

    /** A part's headers. {@code filename} is null for a plain field. */
    public record Part(String name, String filename) {}

    /** Where a part's content goes, chunk by chunk. */
    public interface Sink {
        void write(byte[] bytes, int offset, int length) throws IOException;
    }

    /** The request is not well-formed multipart: a client error. */
    public static final class MalformedException extends IOException {
        MalformedException(String message) {
            super(message);
        }
    }

    private static final int MAX_HEADERS = 8 * 1024;
    /** More parts than a form of Twelve Labs' fields could need: a flood of tiny parts is refused. */
    static final int MAX_PARTS = 16;

    private static final Pattern BOUNDARY = Pattern.compile("(?i);\\s*boundary=(\"([^\"]+)\"|[^;\\s]+)");
    private static final Pattern PARAMETER =
            Pattern.compile("(?i);\\s*(name|filename|filename\\*)\\s*=\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|[^;\\s]*)");

    private final InputStream in;
    /** CRLF "--" boundary: what ends every part. */
    private final byte[] delimiter;
    /** Boyer-Moore-Horspool shifts for {@link #delimiter}: the search skips most bytes of a video. */
    private final int[] shift = new int[256];

    private final byte[] buffer;
    private int position;
    private int limit;
    private boolean eof;
    private boolean inPart;
    private boolean finished;
    private int parts;
    private long received;

    public MultipartReader(InputStream in, String boundary, int bufferSize) {
        this.in = in;
        this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.buffer = new byte[Math.max(bufferSize, 2 * MAX_HEADERS)];
        java.util.Arrays.fill(shift, delimiter.length);
        for (int i = 0; i < delimiter.length - 1; i++) {
            shift[delimiter[i] & 0xff] = delimiter.length - 1 - i;
        }
        // the first boundary needs no CRLF before it: supply one so that the preamble ends like any part
        buffer[0] = '\r';
        buffer[1] = '\n';
        limit = 2;
        inPart = true;
    }

    /** The boundary parameter of a multipart Content-Type. */
    public static Optional<String> boundary(String contentType) {
        if (contentType == null) {
            return Optional.empty();
        }
        Matcher matcher = BOUNDARY.matcher(contentType);
        if (!matcher.find()) {
            return Optional.empty();
        }
        String value = matcher.group(2) != null ? matcher.group(2) : matcher.group(1);
        return value.isEmpty() || value.length() > 70 ? Optional.empty() : Optional.of(value);
    }

    /** The next part, after skipping whatever is left of the current one; empty after the last part. */
    public Optional<Part> next() throws IOException {
        if (inPart) {
            drain((bytes, offset, length) -> {});
        }
        if (finished) {
            return Optional.empty();
        }
        if (++parts > MAX_PARTS) {
            throw new MalformedException("the form has more than " + MAX_PARTS + " parts");
        }
        Part part = parseHeaders(readHeaders());
        inPart = true;
        return Optional.of(part);
    }

    /** Writes the rest of the current part to {@code sink}; returns how many bytes that was. */
    public long drain(Sink sink) throws IOException {
        if (!inPart) {
            return 0;
        }
        long total = 0;
        while (true) {
            int found = search();
            if (found >= 0) {
                sink.write(buffer, position, found - position);
                total += found - position;
                position = found + delimiter.length;
                inPart = false;
                afterDelimiter();
                return total;
            }
            // bytes that may begin a delimiter stay until the next read tells
            int safe = Math.max(position, limit - delimiter.length + 1);
            while (safe < limit && !startsDelimiter(safe)) {
                safe++;
            }
            if (safe > position) {
                sink.write(buffer, position, safe - position);
                total += safe - position;
                position = safe;
            }
            if (!fill()) {
                throw new MalformedException("the body ended inside a part, before its closing boundary");
            }
        }
    }

    /** A field's value as text, refused past {@code max} bytes. */
    public String text(int max) throws IOException {
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        drain((bytes, offset, length) -> {
            if (value.size() + length > max) {
                throw new MalformedException("a form field is longer than " + max + " bytes");
            }
            value.write(bytes, offset, length);
        });
        return Text.utf8(value.toByteArray(), 0, value.size(), "a form field");
    }

    private int search() {
        int last = delimiter.length - 1;
        int at = position;
        while (at + last < limit) {
            int i = last;
            while (buffer[at + i] == delimiter[i]) {
                if (i == 0) {
                    return at;
                }
                i--;
            }
            at += shift[buffer[at + last] & 0xff];
        }
        return -1;
    }

    private boolean startsDelimiter(int from) {
        for (int i = from; i < limit; i++) {
            if (buffer[i] != delimiter[i - from]) {
                return false;
            }
        }
        return true;
    }

    /** After a delimiter: "--" closes the body, otherwise optional padding and CRLF open the next part. */
    private void afterDelimiter() throws IOException {
        require(2);
        if (buffer[position] == '-' && buffer[position + 1] == '-') {
            finished = true;
            return;
        }
        while (true) {
            require(2);
            if (buffer[position] == '\r' && buffer[position + 1] == '\n') {
                position += 2;
                return;
            }
            if (buffer[position] != ' ' && buffer[position] != '\t') {
                throw new MalformedException("a boundary is not followed by a line break");
            }
            position++;
        }
    }

    private String readHeaders() throws IOException {
        int searched = position;
        while (true) {
            for (int i = searched; i + 3 < limit; i++) {
                if (buffer[i] == '\r' && buffer[i + 1] == '\n' && buffer[i + 2] == '\r' && buffer[i + 3] == '\n') {
                    if (i - position > MAX_HEADERS) {
                        break;
                    }
                    String headers = Text.utf8(buffer, position, i - position, "a part's headers");
                    position = i + 4;
                    return headers;
                }
            }
            if (limit - position > MAX_HEADERS) {
                throw new MalformedException("a part's headers are longer than " + MAX_HEADERS + " bytes");
            }
            searched = Math.max(position, limit - 3);
            int before = position;
            if (!fill()) {
                throw new MalformedException("the body ended inside a part's headers");
            }
            searched -= before - position;
        }
    }

    private static Part parseHeaders(String headers) throws MalformedException {
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-disposition")) {
                String value = line.substring(colon + 1);
                String name = null;
                String filename = null;
                Matcher matcher = PARAMETER.matcher(value);
                while (matcher.find()) {
                    String parameter = matcher.group(1).toLowerCase(Locale.ROOT);
                    String raw =
                            matcher.group(3) != null ? matcher.group(3).replaceAll("\\\\(.)", "$1") : matcher.group(2);
                    switch (parameter) {
                        case "name" -> name = raw;
                        case "filename" -> filename = filename == null ? raw : filename;
                        default -> filename = Text.extendedValue(raw); // RFC 5987 filename* wins over filename
                    }
                }
                if (name == null) {
                    throw new MalformedException("a part's Content-Disposition has no name");
                }
                return new Part(name, filename);
            }
        }
        throw new MalformedException("a part has no Content-Disposition header");
    }

    private void require(int bytes) throws IOException {
        while (limit - position < bytes) {
            if (!fill()) {
                throw new MalformedException("the body ended inside a boundary");
            }
        }
    }

    /** Reads more, first moving unread bytes to the front; false at the end of the body. */
    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        if (position > 0) {
            System.arraycopy(buffer, position, buffer, 0, limit - position);
            limit -= position;
            position = 0;
        }
        int read = in.read(buffer, limit, buffer.length - limit);
        if (read < 0) {
            eof = true;
            return false;
        }
        limit += read;
        received += read;
        return true;
    }

    /**
     * How many bytes of the body come before the reader's position: inside a file part, where its content began, so
     * that with the declared length the file's own size is known before it has arrived (docs/assets.md).
     */
    public long consumed() {
        // the CRLF supplied before the first boundary was never received, and is consumed before any part
        return received - (limit - position);
    }
}
