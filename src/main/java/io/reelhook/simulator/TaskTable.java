package io.reelhook.simulator;

/** The simulated account's tasks (see {@link CappedTable}). */
final class TaskTable extends CappedTable<SimTask> {

    TaskTable(int max) {
        super(max, task -> task.id, SimTask::terminal);
    }
}
