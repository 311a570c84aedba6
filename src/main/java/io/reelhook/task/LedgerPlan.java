package io.reelhook.task;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The ledger's decisions, free of I/O so that property tests can drive them: observations applied in order to
 * the current states of their tasks. A status never goes backwards and a terminal status is final; an event that
 * would break that is still kept, as history, with {@code applied = false}. A notification is recorded once, and so
 * is a task's upload.
 */
final class LedgerPlan {

    private LedgerPlan() {}

    /** A task as the plan reads and moves it. */
    static final class TaskState {
        final String id;
        TaskStatus status;
        /** created for this observation: its first event has no previous status */
        boolean created;
        /** its upload is recorded: a second one (a retried write that had committed) adds nothing */
        boolean uploaded;

        String videoId;
        String indexId;
        /** the status changed (updated_at moves) */
        boolean moved;

        TaskState(String id, TaskStatus status, boolean created, String videoId, String indexId) {
            this.id = id;
            this.status = status;
            this.created = created;
            this.videoId = videoId;
            this.indexId = indexId;
        }
    }

    /** The status a task gets when an observation creates it. */
    static TaskStatus initialStatus(Observation observation) {
        return observation.status() == null ? TaskStatus.PENDING : observation.status();
    }

    /**
     * Applies {@code observations} in order.
     *
     * @param tasks    the state of every task named, updated in place
     * @param recorded notification ids already recorded, updated in place
     * @return per observation, the event to store, or null for a notification already recorded
     */
    static List<TaskEvent> apply(
            Map<String, TaskState> tasks, Set<String> recorded, List<Observation> observations, OffsetDateTime now) {
        List<TaskEvent> events = new ArrayList<>(observations.size());
        for (Observation observation : observations) {
            TaskState task = tasks.get(observation.taskId());
            events.add(first(task, recorded, observation) ? append(task, observation, now) : null);
        }
        return events;
    }

    /** Whether the observation is new: a notification is recorded once, and so is a task's upload. */
    private static boolean first(TaskState task, Set<String> recorded, Observation observation) {
        if (observation.upload() != null) {
            boolean first = !task.uploaded;
            task.uploaded = true;
            return first;
        }
        return observation.notificationId() == null || recorded.add(observation.notificationId());
    }

    private static TaskEvent append(TaskState task, Observation observation, OffsetDateTime now) {
        TaskStatus current = task.created ? null : task.status;
        TaskStatus reported = observation.status();
        boolean applied = reported != null && (current == null || current.canMoveTo(reported));
        if (applied) {
            task.moved |= task.status != reported;
            task.status = reported;
        }
        task.created = false;
        if (task.videoId == null) {
            task.videoId = observation.videoId();
        }
        if (task.indexId == null) {
            task.indexId = observation.indexId();
        }

        return new TaskEvent(
                UUID.randomUUID(),
                task.id,
                task.indexId,
                task.videoId,
                observation.eventType(),
                (reported == null ? task.status : reported).wire(),
                current == null ? null : current.wire(),
                observation.source().wire(),
                applied,
                applied && reported.terminal(),
                observation.notificationId(),
                observation.occurredAt() == null ? now : observation.occurredAt(),
                now,
                observation.metadata(),
                observation.notification());
    }
}
