package io.reelhook.simulator;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.util.List;

/**
 * One simulated indexed asset, in memory only: pending, queued, indexing, then ready (or failed, when its
 * {@code user_metadata.simulator.fail} asks), one step apart.
 */
final class SimIndexedAsset {

    static final List<String> STATUSES = List.of("pending", "queued", "indexing", "ready");

    final String id;
    final String indexId;
    final String assetId;
    final SimAsset.Probe asset;
    final String filename;
    final JsonNode userMetadata;
    final Chaos chaos;
    final Instant createdAt = SimAsset.now();

    private final Refusals refusals;
    private String status = "pending";
    private Instant updatedAt = createdAt;
    private Instant indexedAt;

    SimIndexedAsset(String id, String indexId, SimAsset asset, JsonNode userMetadata, Chaos chaos) {
        this.id = id;
        this.indexId = indexId;
        this.assetId = asset.id;
        this.asset = asset.found();
        this.filename = asset.filename;
        this.userMetadata = userMetadata;
        this.chaos = chaos;
        this.refusals = new Refusals(chaos);
    }

    /** Moves one status on; a {@code fail} switch fails it instead of finishing indexing. True once terminal. */
    synchronized boolean advance() {
        if (terminal()) {
            return true;
        }
        status = "indexing".equals(status) && chaos.fail().isPresent()
                ? "failed"
                : STATUSES.get(STATUSES.indexOf(status) + 1);
        updatedAt = SimAsset.now();
        if ("ready".equals(status)) {
            indexedAt = updatedAt;
        }
        return terminal();
    }

    synchronized boolean terminal() {
        return "ready".equals(status) || "failed".equals(status);
    }

    synchronized String status() {
        return status;
    }

    /** The HTTP status that chaos answers the next {@code GET} of this indexed asset with, or 0 for none. */
    int refusal() {
        return refusals.next();
    }

    /** Twelve Labs' {@code IndexedAsset}. */
    synchronized View view() {
        return new View(
                id,
                assetId,
                indexId,
                status,
                createdAt.toString(),
                updatedAt.toString(),
                indexedAt == null ? null : indexedAt.toString(),
                new SystemMetadata(
                        filename,
                        asset.info() == null ? null : asset.info().duration(),
                        null,
                        asset.info() == null ? null : asset.info().width(),
                        asset.info() == null ? null : asset.info().height(),
                        asset.size()),
                userMetadata);
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record View(
            @JsonProperty("_id") String id,
            @JsonProperty("asset_id") String assetId,
            @JsonProperty("index_id") String indexId,
            String status,
            @JsonProperty("created_at") String createdAt,
            @JsonProperty("updated_at") String updatedAt,
            @JsonProperty("indexed_at") String indexedAt,
            @JsonProperty("system_metadata") SystemMetadata systemMetadata,
            @JsonProperty("user_metadata") JsonNode userMetadata) {}

    /** {@code fps} is not read (ffprobe's reading has none here): always omitted. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record SystemMetadata(String filename, Double duration, Double fps, Integer width, Integer height, Long size) {}
}
