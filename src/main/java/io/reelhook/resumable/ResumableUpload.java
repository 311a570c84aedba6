package io.reelhook.resumable;

import java.nio.file.Path;
import java.time.OffsetDateTime;

/**
 * One tus upload as stored in {@code resumable_upload}: {@code offset} bytes of {@code size} are durable in
 * {@code spoolPath}.
 *
 * @param userMetadata the client's {@code user_metadata}, JSON object text, or null
 * @param metadataHeader the client's {@code Upload-Metadata} header as sent, or null
 */
public record ResumableUpload(
        String id,
        long size,
        long offset,
        String status,
        String filename,
        String indexId,
        String userMetadata,
        Boolean enableVideoStream,
        String metadataHeader,
        Path spoolPath,
        String assetId,
        String indexedAssetId,
        String error,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        OffsetDateTime expiresAt) {

    public static final String RECEIVING = "receiving";
    public static final String COMPLETE = "complete";
    public static final String FAILED = "failed";
    public static final String EXPIRED = "expired";
    public static final String TERMINATED = "terminated";

    public boolean isComplete() {
        return offset == size;
    }

    ResumableUpload withOffset(long newOffset, String newStatus, OffsetDateTime newExpiresAt) {
        return new ResumableUpload(
                id,
                size,
                newOffset,
                newStatus,
                filename,
                indexId,
                userMetadata,
                enableVideoStream,
                metadataHeader,
                spoolPath,
                assetId,
                indexedAssetId,
                error,
                createdAt,
                OffsetDateTime.now(),
                newExpiresAt);
    }
}
