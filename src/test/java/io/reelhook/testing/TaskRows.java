package io.reelhook.testing;

import io.reelhook.db.Jdbc;
import io.reelhook.task.Task;
import io.reelhook.task.TaskStore;
import jakarta.enterprise.context.ApplicationScoped;

import javax.sql.DataSource;
import java.util.List;

/** Reads the task table for assertions, the way the task API does. */
@ApplicationScoped
public class TaskRows {

    private final DataSource db;
    private final TaskStore tasks;

    public TaskRows(DataSource db, TaskStore tasks) {
        this.db = db;
        this.tasks = tasks;
    }

    public long count() {
        return Jdbc.number(db, "SELECT count(*) FROM task", List.of());
    }

    /** The task, or null when there is none. */
    public Task find(String taskId) {
        return tasks.find(taskId).orElse(null);
    }
}
