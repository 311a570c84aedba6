package io.reelhook.media;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Twelve Labs' limits for {@code POST /tasks}; configurable so that other tiers and tests can move them. */
@ConfigMapping(prefix = "reelhook.media")
public interface MediaLimits {

    /** Off skips ffprobe even where it is installed (benchmarks of raw throughput, tests of the simulator). */
    @WithDefault("true")
    boolean probe();

    /** How long ffprobe may take on one file before it is stopped and the file taken as unreadable. */
    @WithDefault("60s")
    Duration probeTimeout();

    @WithDefault("2147483648")
    long maxFileSize();

    @WithDefault("4s")
    Duration minDuration();

    @WithDefault("2h")
    Duration maxDuration();

    /** Shorter side at least this many pixels. */
    @WithDefault("360")
    int minSide();

    /** Longer side at most this many pixels. */
    @WithDefault("3840")
    int maxLongSide();

    /** Shorter side at most this many pixels (3840x2160 in either orientation). */
    @WithDefault("2160")
    int maxShortSide();
}
