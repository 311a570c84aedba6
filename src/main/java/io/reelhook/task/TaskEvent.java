package io.reelhook.task;

import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

/**
 * One event of the log (task_event) as the ledger writes it: a status event of a task (docs/subscribing.md), and the
 * outbox entry that the relay publishes. Its {@code sequence} is drawn by the database at insert, in commit order
 * (V50__sequence_at_insert.sql); readers get it with {@link EventMessage}.
 *
 * @param applied      false when the event arrived out of order or conflicts with a terminal status: history only
 * @param completes    true for the one event that moved the task to ready or failed
 * @param notification the webhook's notification as Twelve Labs sent it (text, byte for byte); null for other sources
 * @param taskId       null for an asset's or an indexed asset's event (docs/assets.md), which names its asset instead
 */
public record TaskEvent(
        UUID eventId,
        String taskId,
        String indexId,
        String videoId,
        String type,
        String status,
        String previousStatus,
        String source,
        boolean applied,
        boolean completes,
        String notificationId,
        OffsetDateTime occurredAt,
        OffsetDateTime receivedAt,
        Map<String, Object> metadata,
        String notification,
        String assetId,
        String indexedAssetId) {

    /** A task's event. */
    public TaskEvent(
            UUID eventId,
            String taskId,
            String indexId,
            String videoId,
            String type,
            String status,
            String previousStatus,
            String source,
            boolean applied,
            boolean completes,
            String notificationId,
            OffsetDateTime occurredAt,
            OffsetDateTime receivedAt,
            Map<String, Object> metadata,
            String notification) {
        this(
                eventId,
                taskId,
                indexId,
                videoId,
                type,
                status,
                previousStatus,
                source,
                applied,
                completes,
                notificationId,
                occurredAt,
                receivedAt,
                metadata,
                notification,
                null,
                null);
    }
}
