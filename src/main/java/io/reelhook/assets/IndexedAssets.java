package io.reelhook.assets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reelhook.api.ApiException;
import io.reelhook.resumable.ResumableStore;
import io.reelhook.twelvelabs.AssetsClient;
import jakarta.enterprise.context.ApplicationScoped;

/** Indexing an asset: Twelve Labs makes the indexed asset, Reelhook records it and its first event. */
@ApplicationScoped
class IndexedAssets {

    private final AssetsClient twelveLabs;
    private final AssetLedger ledger;
    private final ResumableStore uploads;
    private final ObjectMapper json;

    IndexedAssets(AssetsClient twelveLabs, AssetLedger ledger, ResumableStore uploads, ObjectMapper json) {
        this.twelveLabs = twelveLabs;
        this.ledger = ledger;
        this.uploads = uploads;
        this.json = json;
    }

    /**
     * {@code POST /indexes/{index_id}/indexed-assets}: the request goes to Twelve Labs as the client wrote it, and
     * Twelve Labs' answer ({@code {_id, asset_id}}) comes back unchanged.
     */
    JsonNode create(String indexId, JsonNode request) {
        JsonNode answer = twelveLabs.createIndexedAsset(indexId, request);
        String id = answer.path("_id").asText(null);
        if (id == null) {
            throw new ApiException(502, "upstream_error", "Twelve Labs' answer names no indexed asset.");
        }
        String assetId = answer.path("asset_id").asText(request.path("asset_id").asText(null));
        JsonNode metadata = request.path("user_metadata");
        ledger.indexed(
                indexId,
                id,
                assetId,
                request.path("enable_video_stream").isBoolean()
                        ? request.path("enable_video_stream").asBoolean()
                        : null,
                metadata.isObject() ? metadata.toString() : null,
                answer);
        uploads.indexedAssetCreatedFor(assetId, id);
        return answer;
    }

    /** Indexes an asset that a client asked to have indexed once ready (the {@code index_id} of docs/assets.md). */
    void indexReady(String assetId, String indexId, Boolean enableVideoStream) {
        ObjectNode request = json.createObjectNode().put("asset_id", assetId);
        if (enableVideoStream != null) {
            request.put("enable_video_stream", enableVideoStream);
        }
        create(indexId, request);
    }
}
