package io.reelhook.stream;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The SSE event stream ({@code reelhook.stream.*}). */
@ConfigMapping(prefix = "reelhook.stream")
public interface StreamConfig {

    /** Streams open at once; beyond, a new one is refused (each holds a connection and a buffer of its own). */
    @WithDefault("256")
    int maxClients();
}
