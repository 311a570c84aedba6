package io.reelhook.upload;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelhook.api.ApiException;
import org.jboss.resteasy.reactive.server.multipart.FormValue;
import org.jboss.resteasy.reactive.server.multipart.MultipartFormDataInput;

import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The fields of {@code POST /tasks}, matched case-insensitively: Twelve Labs' own Node example sends
 * {@code INDEX_ID}.
 */
final class UploadForm {

    private final Map<String, FormValue> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    UploadForm(MultipartFormDataInput input) {
        for (Map.Entry<String, Collection<FormValue>> entry : input.getValues().entrySet()) {
            entry.getValue().stream().findFirst().ifPresent(value -> fields.putIfAbsent(entry.getKey(), value));
        }
    }

    Optional<FormValue> file() {
        return Optional.ofNullable(fields.get("video_file"));
    }

    Optional<String> text(String name) {
        FormValue value = fields.get(name);
        if (value == null || value.isFileItem()) {
            return Optional.empty();
        }
        return Optional.ofNullable(value.getValue()).map(String::trim).filter(v -> !v.isEmpty());
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
