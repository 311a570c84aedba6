package io.reelhook.simulator;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.reelhook.media.MediaInfo;
import io.reelhook.media.MediaProblem;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** One simulated Twelve Labs task, held in memory only: a restart forgets every simulated task. */
final class SimTask {

    static final List<String> STATUSES = List.of("validating", "pending", "queued", "indexing", "ready");

    final String id;
    final String videoId;
    final String indexId;
    final String filename;
    final JsonNode userMetadata;
    final Chaos chaos;
    final Instant createdAt;
    /** What validation found; a {@code video_url} is still downloading while this is not done. */
    final CompletableFuture<Verdict> verdict;

    private final Refusals refusals;
    private String status = "validating";
    private Instant updatedAt;
    private MediaInfo info;
    private MediaProblem problem;

    SimTask(
            String id,
            String videoId,
            String indexId,
            String filename,
            JsonNode userMetadata,
            Chaos chaos,
            CompletableFuture<Verdict> verdict) {
        this.id = id;
        this.videoId = videoId;
        this.indexId = indexId;
        this.filename = filename;
        this.userMetadata = userMetadata;
        this.chaos = chaos;
        this.verdict = verdict;
        this.createdAt = now();
        this.updatedAt = createdAt;
        this.refusals = new Refusals(chaos);
    }

    /** Moves one status on; validation only ends once its verdict is in. Returns true on reaching a terminal status. */
    synchronized boolean advance() {
        if (terminal() || ("validating".equals(status) && !verdict.isDone())) {
            return false;
        }
        if ("validating".equals(status)) {
            Verdict found = verdict.join();
            info = found.info();
            problem = found.problem();
            status = problem == null ? "pending" : "failed";
        } else {
            status = STATUSES.get(STATUSES.indexOf(status) + 1);
        }
        updatedAt = now();
        return terminal();
    }

    synchronized boolean terminal() {
        return "ready".equals(status) || "failed".equals(status);
    }

    synchronized String status() {
        return status;
    }

    synchronized Instant updatedAt() {
        return updatedAt;
    }

    synchronized MediaInfo info() {
        return info;
    }

    synchronized MediaProblem problem() {
        return problem;
    }

    /** The HTTP status that chaos answers the next {@code GET} of this task with, or 0 for a normal answer. */
    int refusal() {
        return refusals.next();
    }

    synchronized View view() {
        return new View(
                id,
                indexId,
                videoId,
                status,
                createdAt.toString(),
                updatedAt.toString(),
                new SystemMetadata(
                        filename,
                        info == null ? null : info.duration(),
                        info == null ? null : info.width(),
                        info == null ? null : info.height()),
                userMetadata);
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    /** What validation found: ffprobe's reading (null without ffprobe) and the limit broken, if any. */
    record Verdict(MediaInfo info, MediaProblem problem) {}

    /** Twelve Labs' task object. */
    record View(
            @JsonProperty("_id") String id,
            @JsonProperty("index_id") String indexId,
            @JsonProperty("video_id") String videoId,
            String status,
            @JsonProperty("created_at") String createdAt,
            @JsonProperty("updated_at") String updatedAt,
            @JsonProperty("system_metadata") SystemMetadata systemMetadata,
            @JsonProperty("user_metadata") JsonNode userMetadata) {}

    record SystemMetadata(String filename, Double duration, Integer width, Integer height) {}
}
