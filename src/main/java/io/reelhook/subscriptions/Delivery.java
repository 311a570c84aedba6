package io.reelhook.subscriptions;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A delivery of one event to one subscription, with its attempts (oldest first). */
public record Delivery(
        long id,
        @JsonProperty("event_id") UUID eventId,
        long sequence,
        @JsonProperty("task_id") String taskId,
        String status,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("next_attempt_at") Instant nextAttemptAt,
        @JsonProperty("finished_at") Instant finishedAt,
        List<Attempt> attempts) {}
