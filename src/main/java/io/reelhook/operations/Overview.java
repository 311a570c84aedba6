package io.reelhook.operations;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** {@code GET /api/v1/operations}: what the console's operations panel shows (docs/api.md). */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Overview(
        Instant at,
        Upstream upstream,
        OutboxState outbox,
        Webhooks webhooks,
        ReconcilerState reconciler,
        Subscriptions subscriptions) {

    /** {@code kind}: {@code simulator} or {@code twelve_labs} (any other URL than the simulator's). */
    public record Upstream(String kind, String url) {}

    /** {@code leader}: {@code this_instance}, {@code another_instance} or {@code none}. */
    public record OutboxState(
            long pending,
            @JsonProperty("oldest_seconds") long oldestSeconds,
            long published,
            long latest,
            String leader) {}

    /** This instance's webhook deliveries over {@code window_seconds}, by outcome. */
    public record Webhooks(
            @JsonProperty("window_seconds") long windowSeconds,
            long accepted,
            long refused,
            @JsonProperty("by_outcome") Map<String, Long> byOutcome) {}

    public record ReconcilerState(
            String every,
            @JsonProperty("after_seconds") long afterSeconds,
            @JsonProperty("horizon_seconds") long horizonSeconds,
            @JsonProperty("budget_per_minute") int budgetPerMinute,
            @JsonProperty("paused_until") Instant pausedUntil,
            @JsonProperty("open_tasks") long openTasks,
            @JsonProperty("last_check_at") Instant lastCheckAt,
            long stalled,
            @JsonProperty("stalled_tasks") List<StalledTask> stalledTasks) {}

    public record StalledTask(
            String id,
            String status,
            String filename,
            @JsonProperty("created_at") Instant createdAt,
            @JsonProperty("stalled_at") Instant stalledAt) {}

    /** {@code status}: the {@code subscriptions} health check's, UP or DOWN. */
    public record Subscriptions(
            String status,
            long total,
            long enabled,
            long failing,
            @JsonProperty("disabled_by_failures") long disabledByFailures) {}
}
