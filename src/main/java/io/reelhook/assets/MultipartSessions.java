package io.reelhook.assets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reelhook.api.ApiException;
import io.reelhook.db.Jdbc;
import io.reelhook.twelvelabs.AssetsClient;
import io.reelhook.twelvelabs.MultipartUploads;
import io.reelhook.upload.UploadForm;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import javax.sql.DataSource;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Multipart upload sessions that a client drives itself (as Twelve Labs' SDKs do): Twelve Labs' presigned URLs go to
 * the client unchanged, so the bytes go straight to Twelve Labs' storage. Reelhook records the session, its asset
 * and the chunks reported, and starts polling the asset once every chunk is in.
 */
@ApplicationScoped
class MultipartSessions {

    private final MultipartUploads twelveLabs;
    private final AssetsClient assets;
    private final AssetLedger ledger;
    private final DataSource db;
    private final AssetsConfig config;

    MultipartSessions(
            MultipartUploads twelveLabs, AssetsClient assets, AssetLedger ledger, DataSource db, AssetsConfig config) {
        this.twelveLabs = twelveLabs;
        this.assets = assets;
        this.ledger = ledger;
        this.db = db;
        this.config = config;
    }

    /** {@code POST /assets/multipart-uploads}; Reelhook's own {@code index_id} and {@code enable_video_stream} stay here. */
    JsonNode create(JsonNode request) {
        if (request == null || !request.isObject()) {
            throw ApiException.invalid("body", "it must be a JSON object.");
        }
        ObjectNode upstream = ((ObjectNode) request).deepCopy();
        String indexId = text(upstream.remove("index_id"), "index_id", 256);
        JsonNode stream = upstream.remove("enable_video_stream");
        String filename = text(upstream.get("filename"), "filename", UploadForm.MAX_FILENAME);
        if (filename == null) {
            throw ApiException.notProvided("filename");
        }
        JsonNode size = upstream.get("total_size");
        if (size == null || !size.canConvertToLong() || size.asLong() <= 0) {
            throw ApiException.invalid("total_size", "it must be a positive whole number of bytes.");
        }
        if (size.asLong() > config.maxSize()) {
            throw new ApiException(
                    413,
                    "asset_filesize_too_large",
                    "The file is larger than " + config.maxSize() + " bytes, the limit for an asset.");
        }
        if (stream != null && !stream.isBoolean()) {
            throw ApiException.invalid("enable_video_stream", "expected true or false.");
        }
        if (indexId != null) {
            assets.requireIndex(indexId);
        }
        JsonNode session = twelveLabs.create((JsonNode) upstream);
        record(session, filename, size.asLong(), indexId, stream == null ? null : stream.asBoolean());
        return session;
    }

    @Transactional
    void record(JsonNode session, String filename, long totalSize, String indexId, Boolean stream) {
        String uploadId = session.path("upload_id").asText(null);
        String assetId = session.path("asset_id").asText(null);
        if (uploadId == null || assetId == null) {
            throw new ApiException(502, "upstream_error", "Twelve Labs' answer names no upload session or asset.");
        }
        Jdbc.update(
                db,
                """
                INSERT INTO multipart_upload (id, asset_id, filename, total_size, chunk_size, total_chunks, created_at,
                                              expires_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?::timestamptz) ON CONFLICT (id) DO NOTHING""",
                uploadId,
                assetId,
                filename,
                totalSize,
                session.path("chunk_size").asLong(),
                session.path("total_chunks").asInt(),
                OffsetDateTime.now(ZoneOffset.UTC),
                session.path("expires_at").asText(null));
        ObjectNode asset = JsonNodeFactory.instance
                .objectNode()
                .put("_id", assetId)
                .put("method", "multipart")
                .put("status", "processing")
                .put("filename", filename);
        ledger.created(new AssetLedger.NewAsset(
                assetId, "multipart", filename, null, totalSize, null, asset, indexId, stream, uploadId, false));
    }

    /**
     * {@code POST /assets/multipart-uploads/{upload_id}}: passed on, then the chunks Twelve Labs accepted are
     * recorded; once all are, the asset's polling begins.
     */
    JsonNode report(String uploadId, JsonNode report) {
        if (report == null || !report.path("completed_chunks").isArray()) {
            throw ApiException.notProvided("completed_chunks");
        }
        JsonNode answer = twelveLabs.report(uploadId, report);
        recordChunks(uploadId, report.path("completed_chunks"));
        return answer;
    }

    @Transactional
    void recordChunks(String uploadId, JsonNode chunks) {
        for (JsonNode chunk : chunks) {
            if (chunk.path("chunk_index").canConvertToInt()
                    && chunk.path("proof").isTextual()) {
                Jdbc.update(
                        db,
                        """
                        INSERT INTO multipart_chunk (upload_id, chunk_index, proof, chunk_size)
                        SELECT id, ?, ?, ? FROM multipart_upload WHERE id = ?
                        ON CONFLICT DO NOTHING""",
                        chunk.path("chunk_index").asInt(),
                        chunk.path("proof").asText(),
                        chunk.path("chunk_size").canConvertToLong()
                                ? chunk.path("chunk_size").asLong()
                                : null,
                        uploadId);
            }
        }
        Jdbc.update(db, """
                UPDATE asset a SET next_poll_at = now()
                FROM multipart_upload u
                WHERE u.id = ? AND a.id = u.asset_id AND a.next_poll_at IS NULL AND a.status = 'processing'
                  AND (SELECT count(*) FROM multipart_chunk c WHERE c.upload_id = u.id) >= u.total_chunks""", uploadId);
    }

    private static String text(JsonNode node, String field, int max) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.invalid(field, "it must be a string.");
        }
        return UploadForm.storable(field, node.asText(), max);
    }
}
