package io.reelhook.task;

import java.util.Arrays;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The columns of task_event that the ledger writes, listed once: {@link LedgerStore}'s insert and the reads of
 * {@link EventStore} (and the outbox) are built from this list. A new column is a constant here and a component of
 * {@link TaskEvent}.
 */
enum EventColumn {
    EVENT_ID("uuid", TaskEvent::eventId),
    TASK_ID("text", TaskEvent::taskId),
    INDEX_ID("text", TaskEvent::indexId),
    VIDEO_ID("text", TaskEvent::videoId),
    TYPE("text", TaskEvent::type),
    STATUS("text", TaskEvent::status),
    PREVIOUS_STATUS("text", TaskEvent::previousStatus),
    SOURCE("text", TaskEvent::source),
    // history only: read back by the console's timeline alone (EventStore.history)
    APPLIED("boolean", TaskEvent::applied, false),
    COMPLETES("boolean", TaskEvent::completes),
    NOTIFICATION_ID("text", TaskEvent::notificationId),
    OCCURRED_AT("timestamptz", TaskEvent::occurredAt),
    RECEIVED_AT("timestamptz", TaskEvent::receivedAt),
    METADATA("jsonb", TaskEvent::metadata),
    // the raw notification (up to 1 MiB), kept for audit: the relay and the event API never read it back, the
    // console's timeline does (EventStore.history)
    NOTIFICATION("text", TaskEvent::notification, false),
    ASSET_ID("text", TaskEvent::assetId),
    INDEXED_ASSET_ID("text", TaskEvent::indexedAssetId);

    /** The column's SQL name. */
    final String sql = name().toLowerCase(Locale.ROOT);
    /** Its SQL type. */
    final String type;
    /** Its value in an event. */
    final Function<TaskEvent, Object> value;
    /** Read back by the event log's readers. */
    final boolean read;

    EventColumn(String type, Function<TaskEvent, Object> value) {
        this(type, value, true);
    }

    EventColumn(String type, Function<TaskEvent, Object> value, boolean read) {
        this.type = type;
        this.value = value;
        this.read = read;
    }

    /** What the readers select: the sequence and the columns they read, JSON as its text. */
    static String selected() {
        return "sequence, "
                + Arrays.stream(values())
                        .filter(c -> c.read)
                        .map(c -> c.type.equals("jsonb") ? c.sql + "::text AS " + c.sql : c.sql)
                        .collect(Collectors.joining(", "));
    }
}
