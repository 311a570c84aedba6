package io.reelhook.twelvelabs;

import com.fasterxml.jackson.annotation.JsonProperty;

/** One uploaded chunk as it is reported to Twelve Labs: its index, its bytes and the storage's ETag as proof. */
public record CompletedChunk(
        @JsonProperty("chunk_index") int chunkIndex,
        @JsonProperty("proof") String proof,
        @JsonProperty("proof_type") String proofType,
        @JsonProperty("chunk_size") long chunkSize) {

    public static CompletedChunk etag(int chunkIndex, String etag, long chunkSize) {
        return new CompletedChunk(chunkIndex, etag, "etag", chunkSize);
    }
}
