package io.reelhook.twelvelabs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/**
 * Twelve Labs' answer to {@code POST /assets/multipart-uploads}: the session, the chunk size it chose and the first
 * presigned URLs, which may not cover every chunk.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MultipartSession(
        @JsonProperty("upload_id") String uploadId,
        @JsonProperty("asset_id") String assetId,
        @JsonProperty("upload_urls") List<PresignedUrl> uploadUrls,
        @JsonProperty("upload_headers") Map<String, String> uploadHeaders,
        @JsonProperty("chunk_size") long chunkSize,
        @JsonProperty("total_chunks") int totalChunks,
        @JsonProperty("expires_at") String expiresAt) {

    public MultipartSession {
        uploadUrls = uploadUrls == null ? List.of() : List.copyOf(uploadUrls);
        uploadHeaders = uploadHeaders == null ? Map.of() : Map.copyOf(uploadHeaders);
    }
}
