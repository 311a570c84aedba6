package io.reelhook.resumable;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** tus resumable uploads at {@code /uploads} ({@code reelhook.resumable.*}, docs/resumable.md). */
@ConfigMapping(prefix = "reelhook.resumable")
public interface ResumableConfig {

    /**
     * Where the spool files of uploads in progress live. Not the request spool ({@code quarkus.http.body.*}), whose
     * leftovers Reelhook deletes at start: these must outlive a restart.
     */
    @WithDefault("${reelhook.data-dir}/resumable")
    Path directory();

    /** An upload that received nothing for this long expires: its file is deleted, later requests get 410. */
    @WithDefault("24h")
    Duration expireAfter();

    /** How often each instance looks for expired uploads; {@code off} disables it. */
    @WithDefault("1m")
    String cleanupEvery();

    /** Origins other than Reelhook's own whose pages may use {@code /uploads} (CORS); none by default. */
    Optional<List<String>> corsOrigins();
}
