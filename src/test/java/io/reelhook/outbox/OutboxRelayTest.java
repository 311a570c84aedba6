package io.reelhook.outbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.task.TaskLedger;
import io.reelhook.task.TaskStatus;
import io.reelhook.testing.KafkaResource;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.reelhook.outbox.Topics.INDEXING_COMPLETED;
import static io.reelhook.outbox.Topics.TASK_EVENTS;
import static io.reelhook.outbox.Topics.header;
import static io.reelhook.outbox.Topics.newTask;
import static io.reelhook.outbox.Topics.readAll;
import static io.reelhook.outbox.Topics.webhook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
class OutboxRelayTest {

    private static final List<TaskStatus> LIFE = List.of(TaskStatus.PENDING, TaskStatus.INDEXING, TaskStatus.READY);

    @Inject
    TaskLedger ledger;

    @Inject
    DataSource db;

    @Inject
    Outbox outbox;

    @Test
    void committedEventsReachBothTopicsInCommitOrderWithKeyHeadersAndJson() throws Exception {
        String task = newTask();
        LIFE.forEach(status -> ledger.record(webhook(task, status)));

        List<OutboxRows.Row> rows = awaitPublished(Set.of(task), 3);
        // numbered in commit order, and each record carries its row's number
        assertThat(rows).extracting(OutboxRows.Row::sequence).isSorted();
        List<ConsumerRecord<String, String>> all = readAll(TASK_EVENTS, Set.of(task));
        assertThat(all)
                .extracting(r -> Long.parseLong(r.value().replaceAll(".*\"sequence\":(\\d+).*", "$1")))
                .containsExactlyElementsOf(
                        rows.stream().map(OutboxRows.Row::sequence).toList());
        assertThat(all)
                .extracting(r -> header(r, "ce_id"))
                .containsExactlyElementsOf(
                        rows.stream().map(OutboxRows.Row::eventId).toList());
        assertThat(all)
                .extracting(ConsumerRecord::value)
                .allSatisfy(json -> assertThat(json).contains("\"task_id\":\"" + task + "\"", "\"source\":\"webhook\""))
                .satisfies(json -> assertThat(json.get(2))
                        .contains(
                                "\"status\":\"ready\"",
                                "\"previous_status\":\"indexing\"",
                                "\"sequence\":" + rows.get(2).sequence()));
        assertThat(new ObjectMapper()
                        .readTree(all.get(2).value())
                        .at("/metadata/duration")
                        .asInt())
                .isEqualTo(30);
        assertThat(all)
                .extracting(r -> header(r, "ce_type"))
                .containsExactly(
                        "io.twelvelabs.index.task.pending",
                        "io.twelvelabs.index.task.indexing",
                        "io.twelvelabs.index.task.ready");
        assertThat(all).allSatisfy(r -> {
            assertThat(header(r, "ce_source")).isEqualTo("reelhook");
            assertThat(header(r, "ce_subject")).isEqualTo(task);
            assertThat(header(r, "ce_specversion")).isEqualTo("1.0");
        });

        List<ConsumerRecord<String, String>> completed = readAll(INDEXING_COMPLETED, Set.of(task));
        assertThat(completed)
                .extracting(r -> header(r, "ce_id"))
                .containsExactly(rows.get(2).eventId());
    }

    @Test
    void eventsCommittedWhileKafkaIsDownAllArriveOnceInOrderPerTask() throws Exception {
        String warm = newTask();
        ledger.record(webhook(warm, TaskStatus.PENDING));
        awaitPublished(Set.of(warm), 1);
        Set<String> tasks = Set.of(newTask(), newTask(), newTask());

        KafkaResource.halt();
        try {
            LIFE.forEach(status -> tasks.forEach(task -> ledger.record(webhook(task, status))));
            assertThat(new OutboxRows(db).of(tasks)).hasSize(9).noneMatch(OutboxRows.Row::published);
        } finally {
            KafkaResource.restart();
        }

        List<OutboxRows.Row> rows = awaitPublished(tasks, 9);
        List<ConsumerRecord<String, String>> all = readAll(TASK_EVENTS, tasks);
        assertThat(all).hasSize(9);
        for (String task : tasks) {
            assertThat(all.stream().filter(r -> r.key().equals(task)).map(r -> header(r, "ce_id")))
                    .containsExactlyElementsOf(rows.stream()
                            .filter(r -> task.equals(r.taskId()))
                            .map(OutboxRows.Row::eventId)
                            .toList());
        }
        assertThat(readAll(INDEXING_COMPLETED, tasks)).hasSize(3);
    }

    @Test
    void theLargestEventThatAWebhookCanCarryIsPublished() throws Exception {
        String task = newTask();
        // the metadata of a notification just under the webhook's 1 MiB cap
        ledger.record(webhook(task, TaskStatus.READY, "index_test", Map.of("blob", "x".repeat(1_048_000))));

        List<OutboxRows.Row> rows = awaitPublished(Set.of(task), 1);
        assertThat(readAll(TASK_EVENTS, Set.of(task)))
                .singleElement()
                .satisfies(r -> assertThat(new ObjectMapper()
                                .readTree(r.value())
                                .at("/metadata/blob")
                                .asText())
                        .hasSize(1_048_000))
                .satisfies(r ->
                        assertThat(header(r, "ce_id")).isEqualTo(rows.get(0).eventId()));
    }

    @Test
    void anEventAcknowledgedByKafkaButNotMarkedIsSentAgainWithTheSameEventIdByTheNextLeader() throws Exception {
        String task = newTask();
        OutboxRows sql = new OutboxRows(db);
        // the watermark cannot pass this task's event while the trigger exists: the leader "dies" after Kafka's ack
        sql.execute("""
                CREATE FUNCTION mark_fault_%1$s() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF EXISTS (SELECT 1 FROM task_event WHERE task_id = '%2$s'
                               AND sequence > OLD.published AND sequence <= NEW.published) THEN
                        RAISE EXCEPTION 'relay killed before marking';
                    END IF;
                    RETURN NEW;
                END $$""".formatted(suffix(task), task));
        sql.execute(
                "CREATE TRIGGER mark_fault_%1$s BEFORE UPDATE ON outbox_cursor FOR EACH ROW EXECUTE FUNCTION mark_fault_%1$s()"
                        .formatted(suffix(task)));
        // the next leader is another instance: this one knows what Kafka acknowledged and does not send it again
        try (OutboxRelay other = outbox.relay().start()) {
            ledger.record(webhook(task, TaskStatus.READY));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> readAll(TASK_EVENTS, Set.of(task)).size() == 1);
            awaitLead(other);
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> readAll(TASK_EVENTS, Set.of(task)).size() == 2);
        } finally {
            sql.execute("DROP TRIGGER mark_fault_%1$s ON outbox_cursor".formatted(suffix(task)));
            sql.execute("DROP FUNCTION mark_fault_%1$s()".formatted(suffix(task)));
        }
        List<OutboxRows.Row> rows = awaitPublished(Set.of(task), 1);
        assertThat(readAll(TASK_EVENTS, Set.of(task)))
                .extracting(r -> header(r, "ce_id"))
                .containsExactly(rows.get(0).eventId(), rows.get(0).eventId());
    }

    @Test
    void twoRelaysPublishEachEventOnceAndOneTakesOverWhenTheOtherDies() throws Exception {
        try (OutboxRelay other = outbox.relay().start()) {
            await().atMost(Duration.ofSeconds(10)).until(outbox::leader);
            Set<String> first = Set.of(newTask(), newTask());
            LIFE.forEach(status -> first.forEach(task -> ledger.record(webhook(task, status))));
            awaitPublished(first, 6);
            assertThat(other.leader()).isFalse();
            assertThat(readAll(TASK_EVENTS, first)).hasSize(6);

            awaitLead(other);
            assertThat(outbox.leader()).isFalse();
            Set<String> second = Set.of(newTask(), newTask());
            LIFE.forEach(status -> second.forEach(task -> ledger.record(webhook(task, status))));
            awaitPublished(second, 6);
            assertThat(readAll(TASK_EVENTS, second)).hasSize(6);
        }
        await().atMost(Duration.ofSeconds(10)).until(outbox::leader);
        String last = newTask();
        ledger.record(webhook(last, TaskStatus.READY));
        awaitPublished(Set.of(last), 1);
    }

    /** Kills the leader's session until {@code relay} holds the lock. */
    private void awaitLead(OutboxRelay relay) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            if (!relay.leader()) {
                killLeaderSession();
                await().atMost(Duration.ofSeconds(5)).until(() -> relay.leader() || outbox.leader());
            }
            return relay.leader();
        });
    }

    private void killLeaderSession() throws SQLException {
        new OutboxRows(db)
                .execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'"
                        + " AND granted AND classid::bigint = " + (OutboxRelay.LOCK_KEY >>> 32)
                        + " AND objid::bigint = " + (OutboxRelay.LOCK_KEY & 0xffffffffL));
    }

    private List<OutboxRows.Row> awaitPublished(Set<String> tasks, int count) throws SQLException {
        OutboxRows rows = new OutboxRows(db);
        await().atMost(Duration.ofSeconds(60)).until(() -> rows.allPublished(tasks, count));
        return rows.of(tasks);
    }

    private static String suffix(String task) {
        return task.replaceAll("[^a-z0-9]", "");
    }
}
