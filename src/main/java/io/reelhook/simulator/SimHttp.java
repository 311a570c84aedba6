package io.reelhook.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the simulator's JSON resources answer alike: Twelve Labs' errors, global chaos, pages, form values. */
@ApplicationScoped
class SimHttp {

    static final int MAX_PAGE_LIMIT = 50;

    @Inject
    Simulator simulator;

    @Inject
    SimulatorConfig config;

    @Inject
    ObjectMapper json;

    /** Global chaos answers before anything else (the switch and the key are {@link SimulatorGuard}'s). */
    Optional<Response> refuse() {
        sleep(config.chaos().slow());
        int refusal = simulator.refusal();
        return refusal == 0 ? Optional.empty() : Optional.of(chaos(refusal));
    }

    /** The answer of a chaos refusal: 429 with {@code Retry-After}, or 500. */
    Response chaos(int status) {
        return status == 429
                ? Response.fromResponse(error(429, "too_many_requests", "Rate limit exceeded (simulated)."))
                        .header("Retry-After", config.chaos().retryAfter())
                        .build()
                : error(500, "internal_server_error", "Something went wrong (simulated).");
    }

    /** A table is full of unfinished objects. */
    static Response full(String what, int max) {
        return Response.fromResponse(error(
                        429,
                        "too_many_requests",
                        "The simulator holds " + max + " unfinished " + what + "; retry once some have finished."))
                .header("Retry-After", 1)
                .build();
    }

    /** {@code user_metadata} sent as a JSON string (multipart forms); empty means none. */
    JsonNode userMetadata(Optional<String> text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            return userMetadata(json.readTree(text.get()));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("user_metadata must be a JSON object.");
        }
    }

    /** {@code user_metadata} sent as JSON (JSON bodies): an object, or null for none. */
    static JsonNode userMetadata(JsonNode parsed) {
        if (parsed == null || parsed.isNull() || parsed.isMissingNode()) {
            return null;
        }
        if (!parsed.isObject()) {
            throw new IllegalArgumentException("user_metadata must be a JSON object.");
        }
        return parsed;
    }

    /** An http or https URL, or IllegalArgumentException naming {@code field}. */
    static URI httpUrl(String value, String field) {
        URI url;
        try {
            url = URI.create(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " is not a URL.");
        }
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException(field + " must be an http or https URL.");
        }
        return url;
    }

    /** Null when the page is in range; Twelve Labs' 400 otherwise. */
    static Response badPage(int page, int pageLimit) {
        return page < 1 || pageLimit < 1 || pageLimit > MAX_PAGE_LIMIT
                ? error(400, "parameter_invalid", "page must be at least 1 and page_limit between 1 and 50.")
                : null;
    }

    /** Twelve Labs' list answer: {@code {"data": [...], "page_info": {...}}}. */
    static Map<String, Object> page(List<?> matching, int page, int pageLimit) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put(
                "data",
                matching.stream()
                        .skip((long) (page - 1) * pageLimit)
                        .limit(pageLimit)
                        .toList());
        answer.put("page_info", pageInfo(matching.size(), page, pageLimit));
        return answer;
    }

    static Map<String, Object> pageInfo(int total, int page, int pageLimit) {
        return Map.of(
                "page", page,
                "limit_per_page", pageLimit,
                "total_page", (total + pageLimit - 1) / pageLimit,
                "total_results", total);
    }

    static Optional<String> text(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    static Response error(int status, String code, String message) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(new SimulatorResource.SimError(code, message))
                .build();
    }

    static void sleep(Duration slow) {
        if (slow.toMillis() > 0) {
            try {
                Thread.sleep(slow.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
