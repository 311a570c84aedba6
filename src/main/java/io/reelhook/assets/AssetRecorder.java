package io.reelhook.assets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reelhook.api.ApiException;
import io.reelhook.twelvelabs.UploadedAsset;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Records an asset that Twelve Labs has just made from a file Reelhook sent (a {@code POST /assets} or a completed
 * resumable upload), and gives the client's answer: Twelve Labs' own for a direct upload; for a multipart upload,
 * which Twelve Labs answers with no asset, the asset as {@code POST /assets} would have answered it.
 */
@ApplicationScoped
class AssetRecorder {

    private final AssetLedger ledger;
    private final ObjectMapper json;

    AssetRecorder(AssetLedger ledger, ObjectMapper json) {
        this.ledger = ledger;
        this.json = json;
    }

    /** What the client asked Reelhook to keep and do with the asset. */
    record Asked(String filename, Long size, String userMetadata, String indexId, Boolean enableVideoStream) {}

    /** Twelve Labs' answer to {@code POST /assets} with {@code method}, recorded and returned as it came. */
    JsonNode direct(JsonNode answer, String method, Asked asked) {
        String id = answer.path("_id").asText(null);
        if (id == null) {
            throw new ApiException(502, "upstream_error", "Twelve Labs' answer names no asset.");
        }
        record(
                id,
                answer.path("method").asText(method),
                answer.path("filename").asText(asked.filename()),
                answer,
                asked,
                null);
        return answer;
    }

    /** An asset whose bytes Twelve Labs' multipart upload has all: recorded, and described as {@code POST /assets}. */
    ObjectNode multipart(UploadedAsset uploaded, Asked asked) {
        ObjectNode asset = json.createObjectNode()
                .put("_id", uploaded.assetId())
                .put("method", "multipart")
                .put("status", "processing")
                .put("filename", asked.filename())
                .put("created_at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        if (asked.userMetadata() != null) {
            try {
                asset.set("user_metadata", json.readTree(asked.userMetadata()));
            } catch (JsonProcessingException e) {
                throw new UncheckedIOException(e);
            }
        }
        record(uploaded.assetId(), "multipart", asked.filename(), asset, asked, uploaded.uploadId());
        return asset;
    }

    private void record(String id, String method, String filename, JsonNode detail, Asked asked, String uploadId) {
        ledger.created(new AssetLedger.NewAsset(
                id,
                method,
                filename,
                detail.path("file_type").asText(null),
                asked.size(),
                asked.userMetadata(),
                detail,
                asked.indexId(),
                asked.enableVideoStream(),
                uploadId,
                true));
    }
}
