package io.reelhook.outbox;

import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.task.EventStore;
import io.reelhook.task.TaskLedger;
import io.reelhook.task.TaskStatus;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static io.reelhook.outbox.Topics.TASK_EVENTS;
import static io.reelhook.outbox.Topics.header;
import static io.reelhook.outbox.Topics.newTask;
import static io.reelhook.outbox.Topics.readAll;
import static io.reelhook.outbox.Topics.webhook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The relay's fenced lead and its byte-bounded batches. */
@QuarkusTest
class OutboxResilienceTest {

    private static final List<TaskStatus> LIFE = List.of(TaskStatus.PENDING, TaskStatus.INDEXING, TaskStatus.READY);

    @Inject
    TaskLedger ledger;

    @Inject
    DataSource db;

    @Inject
    Outbox outbox;

    @Inject
    EventStore store;

    @Inject
    Watermark watermark;

    @Test
    void killingTheLockSessionLosesTheLeadWhichComesBackWithEveryEventOnceAndInOrder() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(outbox::leader);
        List<String> tasks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            tasks.add(newTask());
        }
        // events keep being committed while the lead is lost and taken again
        CompletableFuture<Void> writes = CompletableFuture.runAsync(() ->
                LIFE.forEach(status -> tasks.forEach(task -> ledger.record(webhook(task, status)))));
        killLeaderSession();
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> !outbox.leader());
        await().atMost(Duration.ofSeconds(30)).until(outbox::leader);
        writes.get();

        OutboxRows rows = new OutboxRows(db);
        await().atMost(Duration.ofSeconds(60)).until(() -> rows.allPublished(tasks, 24));
        List<ConsumerRecord<String, String>> all = readAll(TASK_EVENTS, Set.copyOf(tasks));
        for (String task : tasks) {
            assertThat(all.stream().filter(r -> r.key().equals(task)).map(r -> header(r, "ce_id")))
                    .containsExactlyElementsOf(rows.of(Set.of(task)).stream()
                            .map(OutboxRows.Row::eventId)
                            .toList());
        }
    }

    @Test
    void onlyTheBackendHoldingTheLockMovesTheWatermark() {
        long before = watermark.published();
        long far = before + 1_000_000;

        // no backend with pid 1 holds the outbox lock: a relay whose lock session died is in that position
        assertThatThrownBy(() -> watermark.markPublished(far, 1)).isInstanceOf(Watermark.LeadershipLostException.class);
        assertThat(watermark.published()).isLessThan(far);
    }

    @Test
    void aBatchStopsAtItsByteBudgetButALargerEventStillGoesAlone() throws Exception {
        long from = store.maxSequence();
        String task = newTask();
        for (TaskStatus status : LIFE) {
            ledger.record(webhook(task, status, "index_test", Map.of("blob", "x".repeat(1_500_000))));
        }

        assertThat(watermark.batch(from, 500, 4L << 20))
                .hasSize(2)
                .allSatisfy(event -> assertThat(event.message().taskId()).isEqualTo(task));
        assertThat(watermark.batch(from, 500, 1_000_000))
                .singleElement()
                .satisfies(event -> assertThat(event.message().taskId()).isEqualTo(task));
        assertThat(watermark.batch(from, 500, 10L << 20)).hasSizeGreaterThanOrEqualTo(3);
        assertThat(watermark.batch(from, 2, 10L << 20)).hasSize(2);

        // and the relay, whose batches stop at 4 MiB, publishes them all
        await().atMost(Duration.ofSeconds(60)).until(() -> new OutboxRows(db).allPublished(Set.of(task), 3));
        assertThat(readAll(TASK_EVENTS, Set.of(task))).hasSize(3);
    }

    private void killLeaderSession() throws SQLException {
        new OutboxRows(db)
                .execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"
                        + " AND granted AND classid::bigint = " + (OutboxRelay.LOCK_KEY >>> 32)
                        + " AND objid::bigint = " + (OutboxRelay.LOCK_KEY & 0xffffffffL));
    }
}
