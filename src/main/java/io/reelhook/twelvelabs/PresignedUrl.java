package io.reelhook.twelvelabs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Where one chunk of a multipart upload goes: a presigned URL, valid for about an hour. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PresignedUrl(
        @JsonProperty("chunk_index") int chunkIndex,
        @JsonProperty("url") String url,
        @JsonProperty("expires_at") String expiresAt) {

    /** When the URL lapses; empty when Twelve Labs did not say (or said it in a form not understood). */
    public Optional<Instant> expiry() {
        return instant(expiresAt);
    }

    /** RFC 3339, as Twelve Labs writes its dates; anything else is treated as unknown rather than failing. */
    static Optional<Instant> instant(String text) {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(OffsetDateTime.parse(text).toInstant());
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
