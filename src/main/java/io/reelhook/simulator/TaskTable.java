package io.reelhook.simulator;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The simulated account's tasks, in creation order and at most {@code max} of them: the oldest finished task is
 * forgotten to make room for a new one, and while every task held is unfinished no new one is taken.
 */
final class TaskTable {

    private final int max;
    private final Map<String, SimTask> tasks = new LinkedHashMap<>();

    TaskTable(int max) {
        this.max = max;
    }

    synchronized Optional<SimTask> find(String id) {
        return Optional.ofNullable(tasks.get(id));
    }

    synchronized List<SimTask> all() {
        return List.copyOf(tasks.values());
    }

    synchronized int size() {
        return tasks.size();
    }

    /** True when a task may be added, forgetting the oldest finished one if it must. */
    synchronized boolean room() {
        if (tasks.size() < max) {
            return true;
        }
        for (Iterator<SimTask> oldest = tasks.values().iterator(); oldest.hasNext(); ) {
            if (oldest.next().terminal()) {
                oldest.remove();
                return true;
            }
        }
        return false;
    }

    /** Adds {@code task} if there is room; false otherwise. */
    synchronized boolean add(SimTask task) {
        if (!room()) {
            return false;
        }
        tasks.put(task.id, task);
        return true;
    }
}
