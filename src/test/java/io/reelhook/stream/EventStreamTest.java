package io.reelhook.stream;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.outbox.OutboxConfig;
import io.reelhook.task.EventFilter;
import io.reelhook.task.EventMessage;
import io.reelhook.task.EventStore;
import io.reelhook.task.TaskLedger;
import io.reelhook.task.TaskStatus;
import io.reelhook.testing.Api;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.reelhook.outbox.Topics.newTask;
import static io.reelhook.outbox.Topics.webhook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class EventStreamTest {

    @Inject
    TaskLedger ledger;

    @Inject
    EventStore store;

    @Inject
    EventBroadcaster broadcaster;

    @Inject
    OutboxConfig config;

    @TestHTTPResource("/api/v1/events/stream")
    URI stream;

    @Test
    void historyListsATasksEventsOldestFirst() {
        String task = newTask();
        ledger.record(webhook(task, TaskStatus.INDEXING));
        ledger.record(webhook(task, TaskStatus.READY));

        Api.given()
                .get("/api/v1/tasks/{id}/events", task)
                .then()
                .statusCode(200)
                .body("status", contains("indexing", "ready"))
                .body("task_id", contains(task, task))
                .body("[1].previous_status", equalTo("indexing"))
                .body("[1].metadata.duration", equalTo(30));
        Api.given()
                .get("/api/v1/tasks/{id}/events", newTask())
                .then()
                .statusCode(404)
                .body("code", equalTo("resource_not_exist"));
    }

    @Test
    void aClientReceivesLiveEventsThenExactlyWhatItMissedAfterReconnecting() throws Exception {
        String task = newTask();
        URI mine = URI.create(stream + "?task_id=" + task + "&after=" + store.maxSequence());
        List<SseClient.Event> first;
        try (SseClient client = SseClient.connect(mine, null)) {
            ledger.record(webhook(task, TaskStatus.PENDING));
            ledger.record(webhook(task, TaskStatus.INDEXING));
            await().atMost(Duration.ofSeconds(20)).until(() -> client.events().size() == 2);
            first = client.events();
        }
        assertThat(first)
                .extracting(SseClient.Event::type)
                .containsExactly("index.task.pending", "index.task.indexing");
        assertThat(first.get(0).data())
                .contains(
                        "\"task_id\":\"" + task + "\"",
                        "\"status\":\"pending\"",
                        "\"sequence\":" + first.get(0).id());
        assertThat(Long.parseLong(first.get(1).id()))
                .isGreaterThan(Long.parseLong(first.get(0).id()));

        ledger.record(webhook(task, TaskStatus.QUEUED));
        ledger.record(webhook(task, TaskStatus.READY));
        try (SseClient client = SseClient.connect(
                URI.create(stream + "?task_id=" + task), first.get(1).id())) {
            await().atMost(Duration.ofSeconds(20)).until(() -> client.events().size() >= 2);
            ledger.record(webhook(task, TaskStatus.FAILED));
            await().atMost(Duration.ofSeconds(20)).until(() -> client.events().size() >= 3);
            assertThat(client.events())
                    .extracting(SseClient.Event::type)
                    .containsExactly("index.task.queued", "index.task.ready", "index.task.failed");
        }
    }

    @Test
    void aClientThatFallsTooFarBehindIsDroppedWithoutHoldingUpTheRelay() {
        AssertSubscriber<EventMessage> slow =
                broadcaster.stream(null, EventFilter.ALL).subscribe().withSubscriber(AssertSubscriber.create(1));
        String task = newTask();
        ledger.record(webhook(task, TaskStatus.PENDING));
        slow.awaitItems(1);

        List<EventMessage> flood = IntStream.rangeClosed(1, config.sseBuffer() + 2)
                .mapToObj(i -> new EventMessage(
                        UUID.randomUUID(),
                        Long.MAX_VALUE - 10_000 + i,
                        "index.task.indexing",
                        task,
                        null,
                        null,
                        null,
                        null,
                        "indexing",
                        null,
                        "webhook",
                        Instant.now(),
                        Instant.now(),
                        null,
                        null))
                .toList();
        broadcaster.accept(flood);

        slow.awaitFailure();
        assertThat(slow.getItems()).hasSize(1);
    }

    @Test
    void filtersSelectByTypeAndIndex() throws Exception {
        String task = newTask();
        String other = newTask();
        String index = "index_" + UUID.randomUUID();
        long from = store.maxSequence();
        ledger.record(webhook(other, TaskStatus.READY));
        ledger.record(webhook(task, TaskStatus.INDEXING, index));
        ledger.record(webhook(other, TaskStatus.FAILED));
        ledger.record(webhook(task, TaskStatus.READY, index));
        String last = newTask();
        ledger.record(webhook(last, TaskStatus.READY));

        assertThat(receive("?after=" + from + "&type=index.task.ready", last))
                .extracting(e -> e.type() + " " + taskOf(e))
                .containsExactly("index.task.ready " + other, "index.task.ready " + task, "index.task.ready " + last);
        assertThat(receive("?after=" + from + "&index_id=" + index, task))
                .extracting(e -> e.type() + " " + taskOf(e))
                .containsExactly("index.task.indexing " + task, "index.task.ready " + task);
    }

    /** A stream's events up to the last event of {@code lastTask} that the stream sends. */
    private List<SseClient.Event> receive(String query, String lastTask) throws Exception {
        try (SseClient client = SseClient.connect(URI.create(stream + query), null)) {
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> client.events().stream()
                            .anyMatch(
                                    e -> taskOf(e).equals(lastTask) && e.type().equals("index.task.ready")));
            return client.events();
        }
    }

    private static String taskOf(SseClient.Event event) {
        return event.data().replaceAll(".*\"task_id\":\"([^\"]+)\".*", "$1");
    }
}
