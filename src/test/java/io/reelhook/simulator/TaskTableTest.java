package io.reelhook.simulator;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class TaskTableTest {

    private static SimTask task(String id) {
        Chaos none = new Chaos(
                false,
                false,
                false,
                Duration.ZERO,
                Duration.ZERO,
                0,
                0,
                Optional.empty(),
                Optional.empty(),
                Optional.empty());
        return new SimTask(
                id, id, "idx", "f.mp4", null, none, CompletableFuture.completedFuture(new SimTask.Verdict(null, null)));
    }

    private static SimTask finished(SimTask task) {
        while (!task.advance()) {
            // validation is done: every call moves one status on
        }
        return task;
    }

    @Test
    void theOldestFinishedTaskMakesRoomAndUnfinishedOnesAreNeverForgotten() {
        TaskTable table = new TaskTable(3);
        SimTask first = task("a");
        SimTask second = task("b");
        SimTask third = task("c");
        assertThat(table.add(first) && table.add(second) && table.add(third)).isTrue();

        assertThat(table.add(task("d"))).as("every task is unfinished").isFalse();
        assertThat(table.size()).isEqualTo(3);

        finished(third);
        finished(second);
        assertThat(table.add(task("e"))).isTrue();
        assertThat(table.find("b")).as("the oldest finished").isEmpty();
        assertThat(table.find("a")).as("unfinished, though older").isPresent();
        assertThat(table.find("c")).isPresent();
        assertThat(table.size()).isEqualTo(3);
        assertThat(table.add(task("f"))).isTrue();
        assertThat(table.find("c")).isEmpty();
        assertThat(table.add(task("g"))).isFalse();
        assertThat(table.all()).extracting(t -> t.id).containsExactly("a", "e", "f");
    }
}
