package io.reelhook.webhook;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelhook.task.EventSource;
import io.reelhook.task.Observation;
import io.reelhook.task.TaskStatus;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Maps a Twelve Labs notification ({@code {"id", "created_at", "type", "data": {"id", "metadata", "status", "models",
 * "tags"}}}) onto an {@link Observation}. The notification itself is kept as the text that was signed, byte for byte.
 * <p>
 * Whatever PostgreSQL would refuse or blow up is refused here, so that a signed but hostile body costs a 400 and
 * nothing else: invalid UTF-8, NUL and unpaired surrogates in any string, numbers that jsonb would write out in
 * hundreds of digits, and ids too long for an index entry.
 */
final class Notification {

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};
    /** Twelve Labs' event types: {@code index.task.ready}, {@code analyze.task.failed}. */
    private static final Pattern TYPE = Pattern.compile("[a-z]+(\\.[a-z_]+)+");

    private static final int MAX_TYPE = 128;
    /** Well under PostgreSQL's btree entry limit (about 2.7 kB): these columns are indexed. */
    private static final int MAX_ID = 256;
    /** jsonb keeps numbers as numeric, in plain notation: 1e300 would be stored as 301 digits. */
    private static final double MAX_MAGNITUDE = 1e40;

    private Notification() {}

    /** @throws IllegalArgumentException when the body is not a notification; the message says why */
    static Observation parse(ObjectMapper json, byte[] body) {
        String text = utf8(body);
        Map<String, Object> raw;
        try {
            raw = json.readerFor(OBJECT)
                    .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readValue(text);
        } catch (IOException e) {
            throw new IllegalArgumentException("the body is not a JSON object");
        }
        if (raw == null) {
            throw new IllegalArgumentException("the body is not a JSON object");
        }
        check(raw, "");
        String id = required(raw, "id", MAX_ID);
        String type = required(raw, "type", MAX_TYPE);
        if (!TYPE.matcher(type).matches()) {
            throw new IllegalArgumentException("type is not a Twelve Labs event type (such as index.task.ready)");
        }
        if (!(raw.get("data") instanceof Map<?, ?> untyped)) {
            throw new IllegalArgumentException("data is required and must be an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) untyped;
        String taskId = required(data, "id", MAX_ID);
        TaskStatus status = status(data.get("status"))
                .or(() -> TaskStatus.parse(type.substring(type.lastIndexOf('.') + 1)))
                .orElse(null);
        Map<String, Object> metadata = metadata(data);
        // the metadata is stored as jsonb, which writes numbers out in plain notation; the notification stays text
        numbers(metadata, ".data.metadata");
        return new Observation(
                taskId,
                EventSource.WEBHOOK,
                type,
                status,
                id,
                instant(raw.get("created_at")),
                optional(data, "index_id"),
                optional(data, "video_id"),
                metadata,
                text);
    }

    /** The body as text, refusing what is not UTF-8 (which a text column could not keep byte for byte). */
    private static String utf8(byte[] body) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("the body is not valid UTF-8");
        }
    }

    /** data.status, when given, is one of Twelve Labs' statuses as it writes them. */
    private static Optional<TaskStatus> status(Object value) {
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof String s) {
            Optional<TaskStatus> known =
                    TaskStatus.parse(s).filter(status -> status.wire().equals(s));
            if (known.isPresent()) {
                return known;
            }
        }
        throw new IllegalArgumentException("data.status is not a Twelve Labs task status");
    }

    /** Every string of the notification, keys included, at any depth, is one that PostgreSQL stores as it is. */
    private static void check(Object value, String path) {
        if (value instanceof String s) {
            storable(s, path);
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((key, child) -> {
                storable((String) key, path + "." + key);
                check(child, path + "." + key);
            });
        } else if (value instanceof Iterable<?> list) {
            list.forEach(child -> check(child, path + "[]"));
        }
    }

    /** Every number, at any depth, is one whose plain notation is short (at most 40 digits either side). */
    private static void numbers(Object value, String path) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, child) -> numbers(child, path + "." + key));
        } else if (value instanceof Iterable<?> list) {
            list.forEach(child -> numbers(child, path + "[]"));
        } else if (value instanceof java.math.BigDecimal d) {
            // an ObjectMapper set to read floats as BigDecimal: its plain notation has precision - scale digits
            if (d.signum() != 0 && (d.precision() - d.scale() > 40 || d.scale() > 40 + d.precision())) {
                throw new IllegalArgumentException(where(path) + "holds a number out of range (at most 1e40 in size)");
            }
        } else if (value instanceof Double d) {
            double magnitude = Math.abs(d);
            if (!Double.isFinite(d)
                    || magnitude >= MAX_MAGNITUDE
                    || (magnitude != 0 && magnitude < 1 / MAX_MAGNITUDE)) {
                throw new IllegalArgumentException(where(path) + "holds a number out of range (at most 1e40 in size)");
            }
        }
    }

    private static void storable(String s, String path) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 0) {
                throw new IllegalArgumentException(where(path) + "holds a NUL character");
            }
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(where(path) + "holds an unpaired UTF-16 surrogate");
            }
        }
    }

    private static String where(String path) {
        String field = path.isEmpty() ? "the body" : path.substring(1);
        // the names are the sender's: a long one is cut short rather than echoed whole
        return (field.length() > 100 ? field.substring(0, 100) + "..." : field) + " ";
    }

    /** data.metadata, plus the models and tags Twelve Labs reports beside it. */
    private static Map<String, Object> metadata(Map<String, Object> data) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (data.get("metadata") instanceof Map<?, ?> given) {
            given.forEach((k, v) -> metadata.put(String.valueOf(k), v));
        }
        for (String key : new String[] {"models", "tags"}) {
            if (data.containsKey(key)) {
                metadata.putIfAbsent(key, data.get(key));
            }
        }
        return metadata;
    }

    private static String required(Map<String, Object> object, String field, int maxLength) {
        String value = text(object.get(field));
        if (value == null || value.isBlank() || value.length() > maxLength) {
            throw new IllegalArgumentException(
                    field + " is required and must be a non-empty string of at most " + maxLength + " characters");
        }
        return value;
    }

    private static String optional(Map<String, Object> object, String field) {
        String value = text(object.get(field));
        if (value != null && value.length() > MAX_ID) {
            throw new IllegalArgumentException("data." + field + " is longer than " + MAX_ID + " characters");
        }
        return value;
    }

    private static String text(Object value) {
        return value instanceof String s ? s : null;
    }

    /**
     * A missing or unparseable created_at is not worth refusing a genuine notification for: receipt time stands in.
     * So it does for a year that PostgreSQL's timestamptz could not hold.
     */
    private static OffsetDateTime instant(Object value) {
        try {
            OffsetDateTime parsed = value instanceof String s ? OffsetDateTime.parse(s) : null;
            return parsed == null || parsed.getYear() < 1 || parsed.getYear() > 9999 ? null : parsed;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
