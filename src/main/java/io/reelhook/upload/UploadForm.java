package io.reelhook.upload;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelhook.api.ApiException;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The text fields of {@code POST /tasks}, matched case-insensitively: Twelve Labs' own Node example sends
 * {@code INDEX_ID}.
 */
final class UploadForm {

    private final Map<String, String> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    /** Keeps a field's first value, as Twelve Labs does. */
    void add(String name, String value) {
        fields.putIfAbsent(name, value);
    }

    boolean has(String name) {
        return fields.containsKey(name);
    }

    Optional<String> text(String name) {
        return Optional.ofNullable(fields.get(name)).map(String::trim).filter(v -> !v.isEmpty());
    }

    Optional<Boolean> bool(String name) {
        return text(name).map(value -> switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiException.invalid(name, "expected true or false, got '" + value + "'.");
        });
    }

    /** {@code user_metadata} must be a JSON object; returned parsed and as the original text. */
    Optional<Map.Entry<String, Map<String, Object>>> userMetadata(ObjectMapper json) {
        return text("user_metadata").map(value -> {
            try {
                Map<String, Object> parsed = json.readValue(value, new TypeReference<>() {
                });
                if (parsed == null) {
                    throw ApiException.invalid("user_metadata", "it must be a JSON object.");
                }
                return Map.entry(value, parsed);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw ApiException.invalid("user_metadata", "it must be a JSON object.");
            }
        });
    }
}
