package io.reelhook.twelvelabs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Twelve Labs' answer to a batch of completed chunks; {@code url} is there once every chunk has been reported.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ChunkReport(
        @JsonProperty("url") String url,
        @JsonProperty("asset_id") String assetId,
        @JsonProperty("processed_chunks") Integer processedChunks,
        @JsonProperty("duplicate_chunks") Integer duplicateChunks,
        @JsonProperty("total_completed") Integer totalCompleted) {}
