package io.reelhook.twelvelabs;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** How Reelhook sends a large file with Twelve Labs' multipart upload ({@code REELHOOK_MULTIPART_*}). */
@ConfigMapping(prefix = "reelhook.multipart")
public interface MultipartConfig {

    /** Chunk PUTs in flight at once for one upload; each holds a connection and a reader on the source. */
    @WithDefault("4")
    int parallelChunks();

    /** Attempts per chunk (5xx, connection errors, expired URLs) before the upload fails. */
    @WithDefault("5")
    int chunkAttempts();

    /** The first wait before a chunk is sent again; it doubles (with jitter) up to 30 s. */
    @WithDefault("1s")
    Duration chunkRetryDelay();

    /**
     * A chunk PUT not answered within this, counted from its start (Vert.x' idle timeout counts received bytes only),
     * is abandoned and tried again; it must cover sending a whole chunk.
     */
    @WithDefault("10m")
    Duration chunkTimeout();

    /** Uploaded chunks reported to Twelve Labs per request (the rest at the end). */
    @WithDefault("10")
    int reportBatch();

    /** A presigned URL expiring within this is renewed before it is used. */
    @WithDefault("5m")
    Duration urlMargin();
}
