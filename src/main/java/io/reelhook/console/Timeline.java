package io.reelhook.console;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.reelhook.task.Task;
import io.reelhook.task.TaskEvent;
import io.reelhook.task.TaskView;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A task's whole history for the console: every event with what the public event JSON leaves out (whether it changed
 * the task, the raw notification Twelve Labs signed), and where reconciliation stands.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record Timeline(TaskView task, Reconciliation reconciliation, List<Entry> events) {

    public record Reconciliation(
            boolean terminal,
            @JsonProperty("heard_at") OffsetDateTime heardAt,
            @JsonProperty("reconciled_at") OffsetDateTime reconciledAt,
            @JsonProperty("reconcile_attempts") int attempts,
            @JsonProperty("stalled_at") OffsetDateTime stalledAt) {}

    /** One event; {@code applied} is false for one that arrived out of order or after the end (history only). */
    public record Entry(
            @JsonProperty("event_id") UUID eventId,
            Long sequence,
            String type,
            String status,
            @JsonProperty("previous_status") String previousStatus,
            String source,
            boolean applied,
            boolean completes,
            @JsonProperty("occurred_at") OffsetDateTime occurredAt,
            @JsonProperty("received_at") OffsetDateTime receivedAt,
            @JsonProperty("notification_id") String notificationId,
            Map<String, Object> metadata,
            String notification) {

        static Entry of(TaskEvent e) {
            return new Entry(
                    e.eventId,
                    e.sequence,
                    e.type,
                    e.status,
                    e.previousStatus,
                    e.source,
                    e.applied,
                    e.completes,
                    e.occurredAt,
                    e.receivedAt,
                    e.notificationId,
                    e.metadata,
                    e.notification);
        }
    }

    static Timeline of(Task task, List<TaskEvent> events) {
        return new Timeline(
                TaskView.of(task),
                new Reconciliation(
                        task.taskStatus().terminal(),
                        task.heardAt,
                        task.reconciledAt,
                        task.reconcileAttempts,
                        task.stalledAt),
                events.stream().map(Entry::of).toList());
    }
}
