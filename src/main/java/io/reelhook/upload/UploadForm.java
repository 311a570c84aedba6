package io.reelhook.upload;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelhook.api.ApiException;
import io.reelhook.twelvelabs.TaskFields;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The text fields of a form (of {@code POST /tasks}, or of {@code POST /assets}), matched case-insensitively: Twelve Labs' own Node example sends
 * {@code INDEX_ID}. Only Twelve Labs' documented fields are taken, each within a size that fits the database, and
 * no text that PostgreSQL would refuse (NUL) gets past here: a refusal after Twelve Labs made the task would orphan it.
 */
public final class UploadForm {

    /** The fields of {@code POST /tasks} and the most bytes each value may have. */
    static final Map<String, Integer> TASK = Map.of(
            "index_id", 256,
            "video_file", 2048,
            "video_url", 4096,
            "language", 64,
            "enable_video_stream", 16,
            "user_metadata", 64 * 1024);

    public static final int MAX_FILENAME = 1024;

    /** Each documented field and the most bytes its value may have. */
    private final Map<String, Integer> known = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    private final Map<String, String> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    /** A form of the given fields, each with the most bytes its value may have. */
    public UploadForm(Map<String, Integer> known) {
        this.known.putAll(known);
    }

    /** Refuses a part that is not one of Twelve Labs' fields, before any of its content is read. */
    public void requireKnown(String name) {
        if (!known.containsKey(name)) {
            throw new ApiException(
                    400,
                    "parameter_unknown",
                    "The " + printable(name) + " parameter is unknown; the fields are "
                            + String.join(", ", known.keySet()) + ".");
        }
    }

    /** How many bytes the named field's value may have. */
    public int maxBytes(String name) {
        return known.getOrDefault(name, 0);
    }

    /** Refuses text PostgreSQL cannot store (NUL) and values longer than {@code max} characters. */
    public static String storable(String field, String value, int max) {
        if (value != null) {
            if (value.indexOf('\u0000') >= 0) {
                throw ApiException.invalid(field, "it contains a NUL character.");
            }
            if (value.length() > max) {
                throw ApiException.invalid(field, "it is longer than " + max + " characters.");
            }
        }
        return value;
    }

    /** Keeps a field's first value, as Twelve Labs does. */
    public void add(String name, String value) {
        requireKnown(name);
        fields.putIfAbsent(name, storable(name.toLowerCase(Locale.ROOT), value, maxBytes(name)));
    }

    public boolean has(String name) {
        return fields.containsKey(name);
    }

    public Optional<String> text(String name) {
        return Optional.ofNullable(fields.get(name)).map(String::trim).filter(v -> !v.isEmpty());
    }

    public Optional<Boolean> bool(String name) {
        return text(name).map(value -> switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ApiException.invalid(name, "expected true or false, got '" + printable(value) + "'.");
        });
    }

    /** {@code user_metadata} must be a JSON object; returned parsed and as the original text. */
    public Optional<Map.Entry<String, Map<String, Object>>> userMetadata(ObjectMapper json) {
        return text("user_metadata").map(value -> {
            try {
                JsonNode tree = json.readTree(value);
                if (tree == null || !tree.isObject()) {
                    throw ApiException.invalid("user_metadata", "it must be a JSON object.");
                }
                if (hasNul(tree)) {
                    // "\u0000" in JSON text is valid JSON, and PostgreSQL's jsonb refuses it
                    throw ApiException.invalid("user_metadata", "it contains a NUL character (\\u0000).");
                }
                Map<String, Object> parsed = json.convertValue(tree, new TypeReference<>() {});
                return Map.entry(value, parsed);
            } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
                throw ApiException.invalid("user_metadata", "it must be a JSON object.");
            }
        });
    }

    private static boolean hasNul(JsonNode node) {
        if (node.isTextual()) {
            return node.textValue().indexOf('\u0000') >= 0;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().indexOf('\u0000') >= 0 || hasNul(field.getValue())) {
                return true;
            }
        }
        if (node.isArray()) {
            for (JsonNode element : node) {
                if (hasNul(element)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** A client's text as it may appear in a message: short, and without control characters. */
    public static String printable(String text) {
        String cut = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    /** The file name a URL field ({@code video_url}, {@code url}) names: its path's last segment, else its host. */
    public static String fileName(String field, String url) {
        try {
            URI uri = new URI(url);
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
                throw ApiException.invalid(field, "it must be an http(s) URL.");
            }
            return TaskFields.fileName(uri);
        } catch (URISyntaxException e) {
            throw ApiException.invalid(field, "it is not a URL.");
        }
    }
}
