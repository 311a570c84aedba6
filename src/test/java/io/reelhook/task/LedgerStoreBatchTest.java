package io.reelhook.task;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.testing.EventRows;
import io.reelhook.testing.TaskRows;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** One group-commit batch as the writer thread sends it: several observations, two statements, one commit. */
@QuarkusTest
class LedgerStoreBatchTest {

    @Inject
    TaskRows taskRows;

    @Inject
    EventRows eventRows;

    @Inject
    LedgerStore store;

    @Inject
    AgroalDataSource dataSource;

    @Test
    void duplicatesWithinABatchAndOfAStoredNotificationAreStoredOnceAndTheRestOfTheBatchCommits() throws Exception {
        String stored = "whe_" + UUID.randomUUID();
        String twice = "whe_" + UUID.randomUUID();
        String taskA = "task_" + UUID.randomUUID();
        String taskB = "task_" + UUID.randomUUID();
        assertThat(write(List.of(webhook(taskA, TaskStatus.INDEXING, stored)))).doesNotContainNull();

        List<TaskEvent> events = write(List.of(
                webhook(taskA, TaskStatus.INDEXING, stored),
                webhook(taskB, TaskStatus.INDEXING, twice),
                webhook(taskB, TaskStatus.INDEXING, twice),
                webhook(taskA, TaskStatus.READY, "whe_" + UUID.randomUUID())));

        assertThat(events)
                .extracting(e -> e == null ? null : e.taskId() + ":" + e.status())
                .containsExactly(null, taskB + ":indexing", null, taskA + ":ready");
        assertThat(eventRows.countOfNotification(stored)).isEqualTo(1);
        assertThat(eventRows.countOfNotification(twice)).isEqualTo(1);
        assertThat(eventRows.countOfTask(taskA)).isEqualTo(2);
        assertThat(status(taskA)).isEqualTo("ready");
        assertThat(status(taskB)).isEqualTo("indexing");
    }

    @Test
    void aBatchOfOnlyRedeliveriesChangesNothing() throws Exception {
        String id = "whe_" + UUID.randomUUID();
        String taskId = "task_" + UUID.randomUUID();
        write(List.of(webhook(taskId, TaskStatus.READY, id)));

        assertThat(write(List.of(webhook(taskId, TaskStatus.READY, id), webhook(taskId, TaskStatus.READY, id))))
                .containsExactly(null, null);
        assertThat(eventRows.countOfTask(taskId)).isEqualTo(1);
    }

    @Test
    void aBatchRecordsEachTasksUploadOnceWithItsDetails() throws Exception {
        String taskId = "task_" + UUID.randomUUID();
        Observation upload = new Observation(
                taskId,
                EventSource.UPLOAD,
                null,
                TaskStatus.VALIDATING,
                null,
                null,
                "index_1",
                "video_1",
                null,
                null,
                new Upload("clip.mp4", 1234L, 12.5, 640, 360, "en", false, Map.of("shelf", "b2")));

        assertThat(write(List.of(upload, webhook(taskId, TaskStatus.READY, "whe_" + taskId), upload)))
                .extracting(e -> e == null ? null : e.source() + ":" + e.status())
                .containsExactly("upload:validating", "webhook:ready", null);
        assertThat(write(List.of(upload))).containsExactly((TaskEvent) null);

        Task task = task(taskId);
        assertThat(List.of(task.status, task.filename, task.sizeBytes, task.duration, task.width, task.height))
                .containsExactly("ready", "clip.mp4", 1234L, 12.5, 640, 360);
        assertThat(List.of(task.language, task.enableVideoStream, task.userMetadata))
                .containsExactly("en", false, Map.of("shelf", "b2"));
        assertThat(eventRows.countOfTask(taskId)).isEqualTo(2);
    }

    private List<TaskEvent> write(List<Observation> batch) throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            return store.write(connection, batch, OffsetDateTime.now(ZoneOffset.UTC), true);
        }
    }

    private static Observation webhook(String taskId, TaskStatus status, String notificationId) {
        return new Observation(
                taskId,
                EventSource.WEBHOOK,
                "index.task." + status.wire(),
                status,
                notificationId,
                null,
                null,
                null,
                Map.of(),
                "{\"id\":\"" + notificationId + "\"}");
    }

    String status(String taskId) {
        return task(taskId).status;
    }

    Task task(String taskId) {
        return taskRows.find(taskId);
    }
}
