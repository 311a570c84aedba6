package io.reelhook.reconcile;

import io.reelhook.task.Task;
import io.reelhook.task.TaskEvent;
import io.reelhook.task.TaskLedger;
import io.reelhook.testing.EventRows;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import java.util.List;
import java.util.UUID;

/** Tasks in the states that reconciliation looks for, made and read directly in the database. */
@ApplicationScoped
class ReconcileTasks {

    @Inject
    EventRows eventRows;

    @Inject
    TaskLedger ledger;

    @Inject
    EntityManager em;

    /** A task uploaded {@code minutes} ago that nobody has heard of since. */
    String silentTask(int minutes) {
        String taskId = "task_" + UUID.randomUUID();
        Task task = new Task();
        task.id = taskId;
        task.indexId = "idx";
        ledger.recordUpload(task);
        backdate(taskId, minutes);
        return taskId;
    }

    @Transactional
    void backdate(String taskId, int minutes) {
        em.createNativeQuery("UPDATE task SET heard_at = now() - make_interval(mins => ?2), "
                        + "reconciled_at = CASE WHEN reconciled_at IS NULL THEN NULL ELSE now() - make_interval(mins => ?2) END "
                        + "WHERE id = ?1")
                .setParameter(1, taskId)
                .setParameter(2, minutes)
                .executeUpdate();
    }

    @Transactional
    void ageTask(String taskId, int minutes) {
        em.createNativeQuery("UPDATE task SET created_at = now() - make_interval(mins => ?2) WHERE id = ?1")
                .setParameter(1, taskId)
                .setParameter(2, minutes)
                .executeUpdate();
    }

    @Transactional
    void setDuration(String taskId, double seconds) {
        em.createNativeQuery("UPDATE task SET duration = ?2 WHERE id = ?1")
                .setParameter(1, taskId)
                .setParameter(2, seconds)
                .executeUpdate();
    }

    /** Other tests leave open tasks behind; keep them out of these tests' claims (next check in a century). */
    @Transactional
    void quietOtherTasks() {
        em.createNativeQuery("UPDATE task SET reconciled_at = now() + interval '100 years' "
                        + "WHERE status NOT IN ('ready', 'failed')")
                .executeUpdate();
    }

    @Transactional
    Task find(String taskId) {
        Task task = Task.findById(taskId);
        em.detach(task);
        return task;
    }

    List<TaskEvent> events(String taskId) {
        return eventRows.ofTask(taskId);
    }

    /** How many transactions last wrote these tasks' rows. */
    @Transactional
    long writers(List<String> taskIds) {
        return ((Number) em.createNativeQuery("SELECT count(DISTINCT xmin::text) FROM task WHERE id = ANY (?1)")
                        .setParameter(1, taskIds.toArray(String[]::new))
                        .getSingleResult())
                .longValue();
    }
}
