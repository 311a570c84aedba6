package io.reelhook.subscriptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.subscriptions.Receiver.Answer;
import io.reelhook.subscriptions.Receiver.Endpoint;
import io.reelhook.supervision.Workers;
import io.reelhook.task.CommitSignal;
import io.vertx.core.Vertx;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.reelhook.subscriptions.Fixtures.PATH;
import static io.reelhook.subscriptions.Fixtures.admin;
import static io.reelhook.subscriptions.Fixtures.event;
import static io.reelhook.subscriptions.Fixtures.index;
import static io.reelhook.subscriptions.Fixtures.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** The dispatcher under concurrency: per-task order, several instances, disabled and deleted subscriptions. */
@QuarkusTest
class SubscriptionDispatchTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Receiver receiver;
    private final Fixtures fixtures = new Fixtures();

    @Inject
    DataSource db;

    @Inject
    DeliveryStore deliveries;

    @Inject
    ObjectMapper json;

    @Inject
    WebhooksConfig config;

    @Inject
    CommitSignal commits;

    @Inject
    Workers workers;

    @Inject
    Vertx vertx;

    @Inject
    MeterRegistry registry;

    @BeforeAll
    static void startReceiver() throws Exception {
        receiver = new Receiver();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @AfterEach
    void cleanUp() {
        fixtures.cleanUp();
    }

    @Test
    void aTasksEventsStayInOrderWhileManyTasksAreInFlight() {
        Endpoint endpoint = receiver.endpoint();
        // the first attempt of every other event fails; decisions are kept in the order they were made
        List<long[]> decisions = new ArrayList<>();
        Set<String> seen = ConcurrentHashMap.newKeySet();
        endpoint.answer = (n, body) -> {
            long sequence = field(body, "sequence").asLong();
            boolean accept =
                    sequence % 2 == 0 || !seen.add(field(body, "event_id").asText());
            synchronized (decisions) {
                decisions.add(new long[] {sequence, accept ? 1 : 0});
            }
            return Answer.of(accept ? 204 : 500);
        };
        String index = index();
        fixtures.subscribe(endpoint.url, List.of("index.task.*"), List.of(index));
        List<String> tasks = new ArrayList<>();
        for (int i = 0; i < 2 * config.concurrency(); i++) {
            tasks.add(task());
        }
        for (String status : List.of("pending", "indexing", "ready")) {
            tasks.forEach(t -> event(t, index, status));
        }

        int events = 3 * tasks.size();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            synchronized (decisions) {
                return decisions.stream().filter(d -> d[1] == 1).count() >= events;
            }
        });
        Map<String, List<Long>> accepted = new HashMap<>();
        Map<Long, String> taskOf = new HashMap<>();
        endpoint.received.forEach(r -> taskOf.put(
                field(r.body(), "sequence").asLong(), field(r.body(), "task_id").asText()));
        synchronized (decisions) {
            Map<String, Long> current = new HashMap<>();
            for (long[] d : decisions) {
                String task = taskOf.get(d[0]);
                Long open = current.get(task);
                assertThat(open == null || open == d[0])
                        .as("event %d of %s was sent while %d was not yet accepted", d[0], task, open)
                        .isTrue();
                if (d[1] == 1) {
                    current.remove(task);
                    accepted.computeIfAbsent(task, t -> new ArrayList<>()).add(d[0]);
                } else {
                    current.put(task, d[0]);
                }
            }
        }
        assertThat(accepted).hasSize(tasks.size());
        accepted.values().forEach(sequences -> {
            assertThat(sequences).isSorted();
            assertThat(sequences.stream().distinct()).hasSize(3);
        });
    }

    @Test
    void twoInstancesShareTheWorkAndNeverSendOneDeliveryTwiceAtOnce() {
        Endpoint endpoint = receiver.endpoint();
        Set<String> inFlight = ConcurrentHashMap.newKeySet();
        AtomicBoolean overlapped = new AtomicBoolean();
        endpoint.answer = (n, body) -> {
            String id = field(body, "event_id").asText();
            if (!inFlight.add(id)) {
                overlapped.set(true);
            }
            pause(20);
            inFlight.remove(id);
            return Answer.of(200);
        };
        String index = index();
        String id = (String) fixtures.subscribe(endpoint.url, List.of("index.task.*"), List.of(index))
                .get("id");
        Dispatcher second = new Dispatcher(deliveries, json, config, commits, workers, vertx, registry);
        second.onStart(null);
        try {
            for (int i = 0; i < 30; i++) {
                event(task(), index, "ready");
            }

            await().atMost(Duration.ofSeconds(60))
                    .until(() -> endpoint.received.stream()
                                    .map(r -> r.header("webhook-id"))
                                    .distinct()
                                    .count()
                            == 30);
        } finally {
            second.onStop(null);
        }
        assertThat(overlapped).isFalse();
        // both instances fanned out: still one delivery per event
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> admin().get(PATH + "/" + id + "/deliveries?status=delivered")
                        .then()
                        .body("data.size()", equalTo(30))
                        .body("data.event_id.unique().size()", equalTo(30)));
    }

    @Test
    void aDisabledSubscriptionKeepsItsPendingDeliveriesAndSendsThemWhenEnabled() {
        Endpoint endpoint = receiver.endpoint();
        String before = task();
        String done = task();
        String during = task();
        // the first attempt for one task is asked to come back in an hour
        AtomicBoolean deferred = new AtomicBoolean();
        endpoint.answer = (n, body) -> body.contains(before) && deferred.compareAndSet(false, true)
                ? new Answer(503, Map.of("Retry-After", "3600"))
                : Answer.of(200);
        String index = index();
        String id = (String) fixtures.subscribe(endpoint.url, List.of("index.task.*"), List.of(index))
                .get("id");
        event(before, index, "ready");
        event(done, index, "ready");
        await().atMost(Duration.ofSeconds(30)).until(() -> endpoint.received.size() == 2);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> admin().get(PATH + "/" + id + "/deliveries?status=pending")
                        .then()
                        .body("data.size()", equalTo(1))
                        .body("data[0].task_id", equalTo(before))
                        .body("data[0].attempts.size()", equalTo(1)));
        long doneSequence = endpoint.received.stream()
                .filter(r -> r.body().contains(done))
                .map(r -> field(r.body(), "sequence").asLong())
                .findFirst()
                .orElseThrow();

        admin().body(Map.of("enabled", false)).patch(PATH + "/" + id).then().statusCode(200);
        // a delivery due while disabled (a replay of another task's event), and an event committed while disabled
        admin().body(Map.of("from_sequence", doneSequence, "to_sequence", doneSequence))
                .post(PATH + "/" + id + "/replay")
                .then()
                .statusCode(202)
                .body("replayed", equalTo(1));
        event(during, index, "ready");
        pause(1000);
        assertThat(endpoint.received).hasSize(2);

        admin().body(Map.of("enabled", true)).patch(PATH + "/" + id).then().statusCode(200);

        // the kept delivery goes at once (not in an hour), and so does the replay; the event of the gap does not
        await().atMost(Duration.ofSeconds(30)).until(() -> endpoint.received.size() == 4);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> admin().get(PATH + "/" + id + "/deliveries?status=pending")
                        .then()
                        .body("data.size()", equalTo(0)));
        pause(700);
        assertThat(endpoint.received)
                .extracting(r -> field(r.body(), "task_id").asText())
                .containsExactlyInAnyOrder(before, done, before, done);
    }

    @Test
    void deletingASubscriptionDropsItsDeliveriesAndOneInFlightHarmsNoOther() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Endpoint held = receiver.endpoint();
        held.answer = (n, body) -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Answer.of(200);
        };
        Endpoint other = receiver.endpoint();
        String index = index();
        String deleted = (String) fixtures.subscribe(held.url, List.of("index.task.*"), List.of(index))
                .get("id");
        String kept = (String) fixtures.subscribe(other.url, List.of("index.task.*"), List.of(index))
                .get("id");
        String task = task();
        event(task, index, "pending");
        event(task, index, "ready");
        await().atMost(Duration.ofSeconds(30)).until(() -> held.received.size() == 1);
        assertThat(deliveriesOf(deleted)).isEqualTo(2);

        admin().delete(PATH + "/" + deleted).then().statusCode(204);
        assertThat(deliveriesOf(deleted)).isZero();
        // its request in flight is answered now and recorded with the other subscription's
        release.countDown();
        event(task(), index, "ready");

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> admin().get(PATH + "/" + kept + "/deliveries?status=delivered")
                        .then()
                        .body("data.size()", equalTo(3)));
        pause(700);
        assertThat(held.received).hasSize(1);
    }

    private long deliveriesOf(String subscription) throws Exception {
        try (Connection c = db.getConnection();
                PreparedStatement s =
                        c.prepareStatement("SELECT count(*) FROM subscription_delivery WHERE subscription_id = ?")) {
            s.setObject(1, UUID.fromString(subscription));
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static JsonNode field(String body, String name) {
        try {
            return JSON.readTree(body).get(name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
