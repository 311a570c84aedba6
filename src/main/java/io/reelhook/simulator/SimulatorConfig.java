package io.reelhook.simulator;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/**
 * The built-in Twelve Labs simulator ({@code reelhook.simulator.*}). It is switched on by
 * {@link UpstreamDefaults} when no Twelve Labs API key is set, or explicitly.
 */
@ConfigMapping(prefix = "reelhook.simulator")
public interface SimulatorConfig {

    String BASE_PATH = "/simulator/v1.3";

    /** Where the presigned URLs of multipart uploads point (the simulator's stand-in for S3). */
    String STORAGE_PATH = "/simulator/storage";

    /** Unset means off, unless {@link UpstreamDefaults} makes the simulator the upstream (no default here: it would win). */
    Optional<Boolean> enabled();

    default boolean on() {
        return enabled().orElse(false);
    }

    /** The key that {@code x-api-key} must carry; unset, {@link UpstreamDefaults} supplies one drawn at start. */
    String apiKey();

    /** The secret the simulator signs its notifications with; unset, one drawn at start ({@link DrawnSecrets}). */
    String secret();

    /** Where notifications go, as the webhook URL registered in Twelve Labs' dashboard would. */
    @WithDefault("http://localhost:${quarkus.http.port:8080}/webhooks/twelvelabs")
    String webhookUrl();

    /** Tasks held in memory at most; the oldest finished one is forgotten to make room, and past it uploads get 429. */
    @WithDefault("10000")
    int maxTasks();

    /**
     * Assets, multipart upload sessions and indexed assets held in memory at most, each: the oldest finished one is
     * forgotten to make room, and past it creating one gets 429.
     */
    @WithDefault("10000")
    int maxAssets();

    /** The largest file {@code POST /assets} takes with {@code method=direct} (Twelve Labs: 200 MB). */
    @WithDefault("200M")
    MemorySize directMaxSize();

    /** The largest {@code total_size} of a multipart upload (Twelve Labs: 10 GB). */
    @WithDefault("10G")
    MemorySize multipartMaxSize();

    /** The size of every chunk of a multipart upload but the last, which is the remainder. */
    @WithDefault("8M")
    MemorySize chunkSize();

    /** Presigned URLs in the answer that creates a multipart upload: clients ask for the others. */
    @WithDefault("10")
    int initialUrls();

    /** How long a presigned chunk URL is valid. */
    @WithDefault("1h")
    Duration urlTtl();

    /** How long a multipart upload session may take before it is {@code expired}. */
    @WithDefault("24h")
    Duration uploadTtl();

    /** Time spent in each of validating, pending, queued and indexing (and an asset in processing). */
    @WithDefault("1s")
    Duration step();

    /** Defaults for every task; a task's {@code user_metadata.simulator} object overrides them. */
    ChaosConfig chaos();

    interface ChaosConfig {

        /** Deliver every notification twice, concurrently, with the same id. */
        @WithDefault("false")
        boolean duplicate();

        /** Never deliver: only asking {@code GET /tasks/{id}} finds the result. */
        @WithDefault("false")
        boolean drop();

        /** Finish the task and deliver its notification before answering {@code POST /tasks}. */
        @WithDefault("false")
        boolean early();

        /** Hold each notification this long after the task finishes. */
        @WithDefault("0s")
        Duration delay();

        /** Answer every API request this much later. */
        @WithDefault("0s")
        Duration slow();

        /** Share of API requests answered {@code 429 too_many_requests}. */
        @WithDefault("0")
        double throttleRate();

        /** Share of API requests answered {@code 500}. */
        @WithDefault("0")
        double errorRate();

        /** Share of chunk {@code PUT}s answered 500: the bytes are discarded and the chunk is not uploaded. */
        @WithDefault("0")
        double chunkFailureRate();

        /** Share of presigned chunk URLs handed out already expired (their {@code PUT} is answered 403). */
        @WithDefault("0")
        double urlExpiredRate();

        /** Seconds in the {@code Retry-After} of a 429. */
        @WithDefault("1")
        int retryAfter();
    }
}
