package io.reelhook.task;

import java.time.OffsetDateTime;
import java.util.Map;

/**
 * Something Reelhook learnt about a task: an accepted upload, a webhook notification or a reconciliation.
 *
 * @param type           Twelve Labs' event type where there is one ({@code index.task.ready}); null derives
 *                       {@code index.task.<status>}
 * @param status         the status reported; null for an event that reports none (the task keeps its status)
 * @param notificationId Twelve Labs' notification id, processed once; null for other sources
 * @param occurredAt     when it happened; null: when it is recorded
 * @param notification   the raw notification as received (JSON text, unknown fields included); null for other sources
 * @param upload         the upload's details for the task, recorded once per task; null for other sources
 */
public record Observation(
        String taskId,
        EventSource source,
        String type,
        TaskStatus status,
        String notificationId,
        OffsetDateTime occurredAt,
        String indexId,
        String videoId,
        Map<String, Object> metadata,
        String notification,
        Upload upload) {

    /** An observation that is not an upload. */
    public Observation(
            String taskId,
            EventSource source,
            String type,
            TaskStatus status,
            String notificationId,
            OffsetDateTime occurredAt,
            String indexId,
            String videoId,
            Map<String, Object> metadata,
            String notification) {
        this(taskId, source, type, status, notificationId, occurredAt, indexId, videoId, metadata, notification, null);
    }

    public String eventType() {
        if (type != null) {
            return type;
        }
        return "index.task." + (status == null ? "unknown" : status.wire());
    }
}
