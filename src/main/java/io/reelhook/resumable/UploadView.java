package io.reelhook.resumable;

import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code GET /api/v1/uploads/{id}}: where a resumable upload stands, and what it became. */
public record UploadView(
        String id,
        long offset,
        long size,
        String status,
        @JsonProperty("asset_id") String assetId,
        @JsonProperty("indexed_asset_id") String indexedAssetId,
        String error) {

    static UploadView of(ResumableUpload upload) {
        return new UploadView(
                upload.id(),
                upload.offset(),
                upload.size(),
                upload.status(),
                upload.assetId(),
                upload.indexedAssetId(),
                upload.error());
    }
}
