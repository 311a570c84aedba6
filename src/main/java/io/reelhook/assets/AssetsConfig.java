package io.reelhook.assets;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Twelve Labs' asset API through Reelhook ({@code reelhook.asset.*}, docs/assets.md). */
@ConfigMapping(prefix = "reelhook.asset")
public interface AssetsConfig {

    /** The largest file {@code POST /v1.3/assets} (method {@code direct}) and a resumable upload take. */
    @WithDefault("10737418240")
    long maxSize();

    /**
     * Twelve Labs' limit for a direct upload; a larger file goes up with Twelve Labs' multipart upload, done by
     * Reelhook.
     */
    @WithDefault("200000000")
    long directMaxSize();

    /**
     * Bytes of a resumable upload after which its head is checked (ffprobe) before the upload is complete: a video
     * too short, too long or of the wrong size is refused then, not after all of it arrived. A head that cannot be
     * read on its own (an mp4 with its index at the end) is checked again once complete.
     */
    @WithDefault("8388608")
    long probeAfter();

    /** How often each instance looks for assets and indexed assets whose next poll is due; {@code off} disables it. */
    @WithDefault("2s")
    String pollEvery();

    /** The first wait before Twelve Labs is asked about an asset again; it doubles with each unchanged answer. */
    @WithDefault("2s")
    Duration pollFirst();

    /** The longest wait between two polls of one asset or indexed asset. */
    @WithDefault("5m")
    Duration pollMax();

    /** Past this age an asset or indexed asset that is still not terminal is no longer polled. */
    @WithDefault("24h")
    Duration pollHorizon();
}
