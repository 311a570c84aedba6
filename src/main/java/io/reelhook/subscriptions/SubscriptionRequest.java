package io.reelhook.subscriptions;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.List;

/**
 * The body of create and PUT (every field but enabled required), and of PATCH (each field optional: only those sent
 * change). Event types are globs: {@code *} matches any run of characters, e.g. {@code index.task.*}.
 */
public record SubscriptionRequest(
        @NotBlank(groups = Full.class) @Size(max = 2048) String url,

        @JsonProperty("event_types") @NotEmpty(groups = Full.class) @Size(min = 1, max = 64)
        List<
                        @NotBlank
                        @Pattern(
                                regexp = "[A-Za-z0-9._*-]{1,128}",
                                message = "must be a glob of letters, digits, . _ - and *")
                        String>
                eventTypes,

        @JsonProperty("index_ids") @Size(max = 256) List<@NotBlank @Size(max = 128) String> indexIds,
        @Size(max = 1024) String description,
        Boolean enabled) {

    /** The validation group of create and PUT: the required fields besides every Default constraint. */
    public interface Full extends jakarta.validation.groups.Default {}
}
