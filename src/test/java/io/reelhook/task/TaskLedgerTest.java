package io.reelhook.task;

import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.supervision.WorkersHealthCheck;
import io.reelhook.testing.EventRows;
import io.reelhook.testing.TaskRows;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
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
    TaskRows taskRows;

    @Inject
    EventRows eventRows;

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
        List<TaskEvent> events = eventRows.ofTask(taskId);
        assertThat(events).extracting(e -> e.status()).containsExactly("indexing", "ready", "pending", "failed");
        assertThat(events).extracting(e -> e.applied()).containsExactly(true, true, false, false);
        assertThat(events).extracting(e -> e.completes()).containsExactly(false, true, false, false);
        assertThat(events).extracting(e -> e.previousStatus()).containsExactly(null, "indexing", "ready", "ready");
    }

    @Test
    void aRedeliveredNotificationChangesNothing() {
        String taskId = "task_" + UUID.randomUUID();
        assertThat(ledger.record(webhook(taskId, TaskStatus.READY, "whe_" + taskId)))
                .isPresent();
        assertThat(ledger.record(webhook(taskId, TaskStatus.READY, "whe_" + taskId)))
                .isEmpty();
        assertThat(eventRows.countOfTask(taskId)).isEqualTo(1);
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
        TaskEvent first = eventRows.ofTask(taskId).get(0);
        assertThat(first.type()).isEqualTo("index.task.validating");
        assertThat(first.source()).isEqualTo("upload");
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
        List<TaskEvent> events = eventRows.ofTask(taskId);
        assertThat(events)
                .extracting(e -> e.source() + ":" + e.status() + ":" + e.applied())
                .containsExactly("webhook:ready:true", "upload:validating:false");
    }

    @Test
    void anUploadIsRecordedOnceWhateverTheRetries() {
        String taskId = "task_" + UUID.randomUUID();
        Task task = upload(taskId, "once.mp4");
        assertThat(ledger.recordUpload(task)).isPresent();
        // a retry of a write that had committed, then the same upload kept on disk and stored again
        assertThat(ledger.recordUpload(task)).isEmpty();
        assertThat(ledger.recordUpload(task, OffsetDateTime.now(ZoneOffset.UTC).minusHours(1)))
                .isEmpty();

        assertThat(eventRows.ofTask(taskId)).extracting(TaskEvent::source).containsExactly("upload");
        assertThat(find(taskId).filename).isEqualTo("once.mp4");
    }

    @Test
    void anUploadStoredLateIsDatedWhenTwelveLabsAnsweredIt() {
        OffsetDateTime answeredAt =
                OffsetDateTime.now(ZoneOffset.UTC).minusHours(1).truncatedTo(ChronoUnit.MILLIS);
        String fresh = "task_" + UUID.randomUUID();
        ledger.recordUpload(upload(fresh, "late.mp4"), answeredAt);
        // a notification stored first made this one; Twelve Labs had made it when it answered the upload
        String early = "task_" + UUID.randomUUID();
        ledger.record(webhook(early, TaskStatus.INDEXING, "whe_" + early));
        ledger.recordUpload(upload(early, "late.mp4"), answeredAt);

        assertThat(find(fresh).createdAt).isAtSameInstantAs(answeredAt);
        assertThat(find(fresh).updatedAt).isAtSameInstantAs(answeredAt);
        assertThat(eventRows.ofTask(fresh).get(0).occurredAt()).isAtSameInstantAs(answeredAt);
        assertThat(find(early).createdAt).isAtSameInstantAs(answeredAt);
        assertThat(find(early).status).isEqualTo("indexing");
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
            assertThat(eventRows.countOfTask(taskId)).isZero();
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

    private static Task upload(String taskId, String filename) {
        Task task = new Task();
        task.id = taskId;
        task.indexId = "index_1";
        task.filename = filename;
        return task;
    }

    @Transactional
    String status(String taskId) {
        return find(taskId).status;
    }

    Task find(String taskId) {
        return taskRows.find(taskId);
    }
}
