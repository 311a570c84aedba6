package io.reelhook.task;

import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.supervision.WorkersHealthCheck;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.junit.jupiter.api.Test;

import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@QuarkusTest
class TaskLedgerTest {

    @Inject
    TaskLedger ledger;

    @Inject
    @Liveness
    WorkersHealthCheck liveness;

    @ConfigProperty(name = "reelhook.ledger.writers")
    int writers;

    @Test
    void unknownTaskIsCreatedAndStatusNeverGoesBackwards() {
        String taskId = "task_" + UUID.randomUUID();
        ledger.record(webhook(taskId, TaskStatus.INDEXING, "whe_a" + taskId));
        ledger.record(webhook(taskId, TaskStatus.READY, "whe_b" + taskId));
        ledger.record(webhook(taskId, TaskStatus.PENDING, "whe_c" + taskId));
        ledger.record(webhook(taskId, TaskStatus.FAILED, "whe_d" + taskId));

        assertThat(status(taskId)).isEqualTo("ready");
        List<TaskEvent> events = TaskEvent.list("taskId = ?1 order by id", taskId);
        assertThat(events).extracting(e -> e.status).containsExactly("indexing", "ready", "pending", "failed");
        assertThat(events).extracting(e -> e.applied).containsExactly(true, true, false, false);
        assertThat(events).extracting(e -> e.completes).containsExactly(false, true, false, false);
        assertThat(events).extracting(e -> e.previousStatus).containsExactly(null, "indexing", "ready", "ready");
    }

    @Test
    void aRedeliveredNotificationChangesNothing() {
        String taskId = "task_" + UUID.randomUUID();
        assertThat(ledger.record(webhook(taskId, TaskStatus.READY, "whe_" + taskId)))
                .isPresent();
        assertThat(ledger.record(webhook(taskId, TaskStatus.READY, "whe_" + taskId)))
                .isEmpty();
        assertThat(TaskEvent.count("taskId", taskId)).isEqualTo(1);
    }

    @Test
    void uploadedTaskKeepsItsVideoIdWhenANotificationLacksIt() {
        String taskId = "task_" + UUID.randomUUID();
        Task task = new Task();
        task.id = taskId;
        task.videoId = "video_1";
        task.indexId = "index_1";
        ledger.recordUpload(task);
        ledger.record(webhook(taskId, TaskStatus.READY, "whe_" + taskId));

        Task stored = find(taskId);
        assertThat(stored.status).isEqualTo("ready");
        assertThat(stored.videoId).isEqualTo("video_1");
        TaskEvent first = TaskEvent.find("taskId = ?1 order by id", taskId).firstResult();
        assertThat(first.type).isEqualTo("index.task.validating");
        assertThat(first.source).isEqualTo("upload");
    }

    @Test
    void aNotificationThatBeatsTheUploadsAnswerKeepsItsStatusAndGainsTheUploadsDetails() {
        String taskId = "task_" + UUID.randomUUID();
        ledger.record(webhook(taskId, TaskStatus.READY, "whe_" + taskId));
        Task task = new Task();
        task.id = taskId;
        task.indexId = "index_1";
        task.videoId = "video_1";
        task.filename = "early.mp4";
        ledger.recordUpload(task);

        Task stored = find(taskId);
        assertThat(stored.status).isEqualTo("ready");
        assertThat(stored.filename).isEqualTo("early.mp4");
        assertThat(stored.videoId).isEqualTo("video_1");
        List<TaskEvent> events = TaskEvent.list("taskId = ?1 order by id", taskId);
        assertThat(events)
                .extracting(e -> e.source + ":" + e.status + ":" + e.applied)
                .containsExactly("webhook:ready:true", "upload:validating:false");
    }

    @Test
    void anObservationThatMakesAWriterThrowAnErrorFailsAloneAndTheWritersGoOn() throws Exception {
        Map<String, Object> poisoned = new AbstractMap<>() {
            @Override
            public Set<Entry<String, Object>> entrySet() {
                throw new StackOverflowError("metadata that cannot be written");
            }
        };
        // more of them than there are writer threads: a writer that died of one would not take the next
        for (int i = 0; i < writers + 2; i++) {
            String taskId = "task_" + UUID.randomUUID();
            CompletableFuture<?> recorded = ledger.submit(new Observation(
                    taskId,
                    EventSource.WEBHOOK,
                    "index.task.ready",
                    TaskStatus.READY,
                    "whe_" + taskId,
                    null,
                    null,
                    null,
                    poisoned,
                    "{\"id\":\"whe_" + taskId + "\"}"));
            assertThatThrownBy(() -> recorded.get(30, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasRootCauseInstanceOf(StackOverflowError.class);
            assertThat(TaskEvent.count("taskId", taskId)).isZero();
        }

        String taskId = "task_" + UUID.randomUUID();
        assertThat(ledger.submit(webhook(taskId, TaskStatus.READY, "whe_" + taskId))
                        .get(30, TimeUnit.SECONDS))
                .isPresent();
        assertThat(status(taskId)).isEqualTo("ready");
        assertThat(liveness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
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

    @Transactional
    String status(String taskId) {
        return find(taskId).status;
    }

    @Transactional
    Task find(String taskId) {
        return Task.findById(taskId);
    }
}
