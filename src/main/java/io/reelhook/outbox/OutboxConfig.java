package io.reelhook.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The outbox relay and the event stream ({@code reelhook.outbox.*}). */
@ConfigMapping(prefix = "reelhook.outbox")
public interface OutboxConfig {

    /** Events published or streamed per round trip. */
    @WithDefault("500")
    int batchSize();

    /** Bytes of events per relay batch (estimated from their metadata); a single larger event still goes alone. */
    @WithDefault("4194304")
    long batchBytes();

    /**
     * Longest wait for an answer on the relay's lock connection. The lead lapses when no check of the lock succeeded
     * for a sweep plus twice this.
     */
    @WithDefault("1s")
    Duration probeTimeout();

    /** Safety-net wake-up when no NOTIFY arrives; also how often a non-leader tries to take the lock. */
    @WithDefault("1s")
    Duration sweep();

    /** Longest wait between publishing attempts while Kafka fails. */
    @WithDefault("30s")
    Duration maxBackoff();

    /** Readiness is DOWN once the oldest unpublished event is older than this. */
    @WithDefault("5m")
    Duration maxLag();

    /** Live events an SSE client may fall behind by before it is dropped (it resumes with Last-Event-ID). */
    @WithDefault("1000")
    int sseBuffer();
}
