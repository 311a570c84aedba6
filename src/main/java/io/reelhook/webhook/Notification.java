package io.reelhook.webhook;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelhook.task.EventSource;
import io.reelhook.task.Observation;
import io.reelhook.task.TaskStatus;

import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Maps a Twelve Labs notification ({@code {"id", "created_at", "type", "data": {"id", "metadata", "status", "models",
 * "tags"}}}) onto an {@link Observation}; the raw object is kept whole so that unknown fields survive.
 */
final class Notification {

    private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {
    };

    private Notification() {
    }

    /** @throws IllegalArgumentException when the body is not a notification; the message says why */
    static Observation parse(ObjectMapper json, byte[] body) {
        Map<String, Object> raw;
        try {
            raw = json.readValue(body, OBJECT);
        } catch (IOException e) {
            throw new IllegalArgumentException("the body is not a JSON object");
        }
        if (raw == null) {
            throw new IllegalArgumentException("the body is not a JSON object");
        }
        String id = required(raw, "id");
        String type = required(raw, "type");
        if (!(raw.get("data") instanceof Map<?, ?> untyped)) {
            throw new IllegalArgumentException("data is required and must be an object");
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> data = (Map<String, Object>) untyped;
        String taskId = required(data, "id");
        TaskStatus status = TaskStatus.parse(text(data.get("status")))
                .or(() -> TaskStatus.parse(type.substring(type.lastIndexOf('.') + 1)))
                .orElse(null);
        return new Observation(taskId, EventSource.WEBHOOK, type, status, id, instant(raw.get("created_at")),
                text(data.get("index_id")), text(data.get("video_id")), metadata(data), raw);
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

    private static String required(Map<String, Object> object, String field) {
        String value = text(object.get(field));
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(field + " is required and must be a non-empty string");
        }
        return value;
    }

    private static String text(Object value) {
        return value instanceof String s ? s : null;
    }

    /** A missing or unparseable created_at is not worth refusing a genuine notification for: receipt time stands in. */
    private static OffsetDateTime instant(Object value) {
        try {
            return value instanceof String s ? OffsetDateTime.parse(s) : null;
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
