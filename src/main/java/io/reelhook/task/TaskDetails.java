package io.reelhook.task;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.OffsetDateTime;
import java.util.List;

/** Reelhook's own view of a task: Twelve Labs' task object, what reconciliation did, and the event history. */
public record TaskDetails(
        TaskView task,
        @JsonProperty("heard_at") OffsetDateTime heardAt,
        @JsonProperty("reconciled_at") OffsetDateTime reconciledAt,
        @JsonProperty("reconcile_attempts") int reconcileAttempts,
        @JsonProperty("stalled_at") OffsetDateTime stalledAt,
        List<EventMessage> events) {

    static TaskDetails of(Task task, List<EventMessage> events) {
        return new TaskDetails(
                TaskView.of(task), task.heardAt, task.reconciledAt, task.reconcileAttempts, task.stalledAt, events);
    }
}
