package io.reelhook.task;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

/**
 * The one place where task statuses change: stores the event, moves the task and queues the publication (the
 * event row is the outbox entry) in one transaction. A status never goes backwards and a terminal status is
 * final; an event that would break that is still kept, as history, with {@code applied = false}.
 */
@ApplicationScoped
public class TaskLedger {

    @Inject
    EntityManager em;

    /** Records a newly uploaded task and its first event. */
    @Transactional
    public TaskEvent recordUpload(Task task, Observation observation) {
        OffsetDateTime now = now();
        task.status = observation.status().wire();
        task.createdAt = now;
        task.updatedAt = now;
        task.heardAt = now;
        em.persist(task);
        return append(task, null, observation, now);
    }

    /**
     * Records an observation of a task, creating the task if Reelhook has not seen it (uploaded by another client).
     *
     * @return the stored event, or empty when the notification was already recorded (a redelivery)
     */
    @Transactional
    public Optional<TaskEvent> record(Observation observation) {
        OffsetDateTime now = now();
        boolean created = em.createNativeQuery("""
                        INSERT INTO task (id, index_id, video_id, status, created_at, updated_at, heard_at)
                        VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?5) ON CONFLICT (id) DO NOTHING""")
                .setParameter(1, observation.taskId())
                .setParameter(2, observation.indexId())
                .setParameter(3, observation.videoId())
                .setParameter(4, (observation.status() == null ? TaskStatus.PENDING : observation.status()).wire())
                .setParameter(5, now)
                .executeUpdate() == 1;
        // the row lock serialises writers of one task, so the duplicate check below and the event order are exact
        Task task = em.find(Task.class, observation.taskId(), LockModeType.PESSIMISTIC_WRITE);
        if (observation.notificationId() != null && em.createQuery(
                        "select count(e) from TaskEvent e where e.notificationId = ?1", Long.class)
                .setParameter(1, observation.notificationId()).getSingleResult() > 0) {
            return Optional.empty();
        }
        return Optional.of(append(task, created ? null : task.taskStatus(), observation, now));
    }

    private TaskEvent append(Task task, TaskStatus current, Observation observation, OffsetDateTime now) {
        TaskStatus reported = observation.status();
        boolean applied = reported != null && (current == null || current.canMoveTo(reported));
        if (applied) {
            task.status = reported.wire();
            task.updatedAt = now;
        }
        if (task.videoId == null) {
            task.videoId = observation.videoId();
        }
        if (task.indexId == null) {
            task.indexId = observation.indexId();
        }
        task.heardAt = now;

        TaskEvent event = new TaskEvent();
        event.eventId = UUID.randomUUID();
        event.taskId = task.id;
        event.indexId = task.indexId;
        event.videoId = task.videoId;
        event.type = observation.eventType();
        event.status = reported == null ? task.status : reported.wire();
        event.previousStatus = current == null ? null : current.wire();
        event.source = observation.source().wire();
        event.applied = applied;
        event.completes = applied && reported.terminal();
        event.notificationId = observation.notificationId();
        event.occurredAt = observation.occurredAt() == null ? now : observation.occurredAt();
        event.receivedAt = now;
        event.metadata = observation.metadata();
        event.notification = observation.notification();
        em.persist(event);
        return event;
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
