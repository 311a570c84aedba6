package io.reelhook.twelvelabs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** Twelve Labs' {@code GET /assets/multipart-uploads/{upload_id}}: the session's state and its chunks' (one page). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record MultipartStatus(
        @JsonProperty("upload_id") String uploadId,
        @JsonProperty("status") String status,
        @JsonProperty("uploaded_chunks") List<Chunk> uploadedChunks,
        @JsonProperty("chunks_completed") Integer chunksCompleted,
        @JsonProperty("chunks_failed") Integer chunksFailed,
        @JsonProperty("chunks_pending") Integer chunksPending,
        @JsonProperty("total_size") Long totalSize,
        @JsonProperty("uploaded_size") Long uploadedSize) {

    public static final String ACTIVE = "active";
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";
    public static final String EXPIRED = "expired";

    public MultipartStatus {
        uploadedChunks = uploadedChunks == null ? List.of() : List.copyOf(uploadedChunks);
    }

    /** One chunk's state: {@code completed}, {@code pending} or {@code failed} (with {@code error}). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Chunk(
            @JsonProperty("index") int index,
            @JsonProperty("status") String status,
            @JsonProperty("error") String error) {}
}
