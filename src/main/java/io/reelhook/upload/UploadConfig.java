package io.reelhook.upload;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;

/** How much one process lets uploads take ({@code REELHOOK_UPLOAD_*}). */
@ConfigMapping(prefix = "reelhook.upload")
public interface UploadConfig {

    /** Uploads in progress at once; beyond it {@code 429 too_many_requests}. */
    @WithDefault("16")
    int maxConcurrent();

    /** A client that sends nothing for this long is cut off and its upload removed. */
    @WithDefault("60s")
    Duration idleTimeout();

    /** Free bytes the spool directory's disk must keep after an upload of the declared length. */
    @WithDefault("1073741824")
    long minFreeDisk();

    /** What a refused client is told to wait before it tries again. */
    @WithDefault("10")
    int retryAfterSeconds();

    /** Where a task that Twelve Labs made and the database could not take waits until it is stored. */
    @WithDefault("${reelhook.data-dir}/pending-tasks")
    Path journalDirectory();

    /** How often waiting tasks are tried again (also once at start). */
    @WithDefault("5s")
    Duration journalInterval();
}
