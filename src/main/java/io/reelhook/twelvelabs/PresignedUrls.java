package io.reelhook.twelvelabs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** Twelve Labs' answer to {@code POST /assets/multipart-uploads/{upload_id}/presigned-urls}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PresignedUrls(
        @JsonProperty("upload_id") String uploadId,
        @JsonProperty("start_index") int startIndex,
        @JsonProperty("count") int count,
        @JsonProperty("upload_urls") List<PresignedUrl> uploadUrls,
        @JsonProperty("generated_at") String generatedAt,
        @JsonProperty("expires_at") String expiresAt) {

    public PresignedUrls {
        uploadUrls = uploadUrls == null ? List.of() : List.copyOf(uploadUrls);
    }
}
