package io.reelhook.subscriptions;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A subscription as the API shows it; {@code secret} only in the answers to create and rotate-secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Subscription(
        UUID id,
        String url,
        @JsonProperty("event_types") List<String> eventTypes,
        @JsonProperty("index_ids") List<String> indexIds,
        String description,
        boolean enabled,
        @JsonProperty("disabled_reason") String disabledReason,
        @JsonProperty("failing_since") Instant failingSince,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("updated_at") Instant updatedAt,
        String secret,
        @JsonIgnore String previousSecret,
        @JsonIgnore Instant previousUntil) {

    /** The same without its secrets: what list and get answer. */
    Subscription hidden() {
        return new Subscription(
                id,
                url,
                eventTypes,
                indexIds,
                description,
                enabled,
                disabledReason,
                failingSince,
                createdAt,
                updatedAt,
                null,
                null,
                null);
    }
}
