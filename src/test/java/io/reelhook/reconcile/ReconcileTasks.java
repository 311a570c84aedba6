package io.reelhook.reconcile;

import io.reelhook.db.Jdbc;
import io.reelhook.task.Task;
import io.reelhook.task.TaskEvent;
import io.reelhook.task.TaskLedger;
import io.reelhook.testing.EventRows;
import io.reelhook.testing.TaskRows;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.sql.DataSource;
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
    TaskRows taskRows;

    @Inject
    DataSource db;

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

    void backdate(String taskId, int minutes) {
        Jdbc.update(
                db,
                "UPDATE task SET heard_at = now() - make_interval(mins => ?), reconciled_at = CASE WHEN reconciled_at"
                        + " IS NULL THEN NULL ELSE now() - make_interval(mins => ?) END WHERE id = ?",
                minutes,
                minutes,
                taskId);
    }

    void ageTask(String taskId, int minutes) {
        Jdbc.update(db, "UPDATE task SET created_at = now() - make_interval(mins => ?) WHERE id = ?", minutes, taskId);
    }

    void setDuration(String taskId, double seconds) {
        Jdbc.update(db, "UPDATE task SET duration = ? WHERE id = ?", seconds, taskId);
    }

    /** Other tests leave open tasks behind; keep them out of these tests' claims (next check in a century). */
    void quietOtherTasks() {
        Jdbc.update(
                db,
                "UPDATE task SET reconciled_at = now() + interval '100 years' WHERE status NOT IN ('ready', 'failed')");
    }

    Task find(String taskId) {
        return taskRows.find(taskId);
    }

    List<TaskEvent> events(String taskId) {
        return eventRows.ofTask(taskId);
    }

    /** How many transactions last wrote these tasks' rows. */
    long writers(List<String> taskIds) {
        return Jdbc.number(db, "SELECT count(DISTINCT xmin::text) FROM task WHERE id = ANY (?)", List.of((Object)
                taskIds.toArray(String[]::new)));
    }
}
