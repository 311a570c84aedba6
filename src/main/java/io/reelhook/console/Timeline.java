package io.reelhook.console;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.reelhook.task.EventMessage;
import io.reelhook.task.EventStore;
import io.reelhook.task.Task;
import io.reelhook.task.TaskStatus;
import io.reelhook.task.TaskView;

import java.time.OffsetDateTime;
import java.util.List;

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

    /**
     * The event JSON of docs/subscribing.md and three more fields; {@code applied} is false for an event that came
     * out of order or after the end (history only).
     */
    public record Entry(@JsonUnwrapped EventMessage event, boolean applied, boolean completes, String notification) {

        static Entry of(EventStore.Recorded recorded) {
            return new Entry(recorded.message(), recorded.applied(), recorded.completes(), recorded.notification());
        }
    }

    static Timeline of(Task task, List<EventStore.Recorded> events) {
        return new Timeline(
                TaskView.of(task),
                new Reconciliation(
                        TaskStatus.parse(task.status).map(TaskStatus::terminal).orElse(false),
                        task.heardAt,
                        task.reconciledAt,
                        task.reconcileAttempts,
                        task.stalledAt),
                events.stream().map(Entry::of).toList());
    }
}
