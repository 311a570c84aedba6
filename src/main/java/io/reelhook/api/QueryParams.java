package io.reelhook.api;

import java.util.List;

/**
 * Query parameters taken as text and checked here, so that {@code page=abc} or {@code page=99999999999} is a
 * {@code 400 parameter_invalid} that names the parameter rather than the framework's conversion error.
 */
public final class QueryParams {

    private QueryParams() {}

    public static int intIn(String name, String raw, int fallback, int min, int max) {
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        if (!raw.matches("[+-]?\\d{1,10}")) {
            throw ApiException.invalid(name, "it must be a whole number from " + min + " to " + max + ".");
        }
        long value = Long.parseLong(raw);
        if (value < min || value > max) {
            throw ApiException.invalid(name, "it must be a whole number from " + min + " to " + max + ".");
        }
        return (int) value;
    }

    public static String oneOf(String name, String raw, List<String> allowed) {
        if (raw == null || raw.isEmpty()) {
            return allowed.get(0);
        }
        if (!allowed.contains(raw)) {
            throw ApiException.invalid(name, "it must be one of " + String.join(", ", allowed) + ".");
        }
        return raw;
    }

    /** Text that PostgreSQL can hold: no NUL character (it refuses those in text). */
    public static String text(String name, String raw) {
        if (raw != null && raw.indexOf('\0') >= 0) {
            throw ApiException.invalid(name, "it must not contain a NUL character.");
        }
        return raw;
    }
}
