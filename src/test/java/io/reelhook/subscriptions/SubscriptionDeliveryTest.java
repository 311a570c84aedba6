package io.reelhook.subscriptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.subscriptions.Receiver.Answer;
import io.reelhook.subscriptions.Receiver.Endpoint;
import io.reelhook.subscriptions.Receiver.Received;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.reelhook.subscriptions.Fixtures.PATH;
import static io.reelhook.subscriptions.Fixtures.admin;
import static io.reelhook.subscriptions.Fixtures.event;
import static io.reelhook.subscriptions.Fixtures.index;
import static io.reelhook.subscriptions.Fixtures.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** Deliveries to a local receiver: signatures, retries, order, 410, Retry-After, restarts and filters. */
@QuarkusTest
class SubscriptionDeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static Receiver receiver;
    private final Fixtures fixtures = new Fixtures();

    @Inject
    Dispatcher dispatcher;

    @Inject
    DeliveryStore deliveries;

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
    void aDeliveryIsTheEventJsonSignedPerStandardWebhooks() throws Exception {
        Endpoint endpoint = receiver.endpoint();
        String index = index();
        Map<String, Object> sub = fixtures.subscribe(endpoint.url, List.of("index.task.*"), List.of(index));
        String secret = (String) sub.get("secret");
        assertThat(secret).startsWith("whsec_");
        assertThat(Base64.getDecoder().decode(secret.substring(6)).length).isBetween(24, 64);
        String taskId = task();

        event(taskId, index, "ready");

        Received got = awaitReceived(endpoint, 1).get(0);
        new Webhook(secret).verify(got.body(), got.headers());
        JsonNode body = JSON.readTree(got.body());
        assertThat(got.header("webhook-id")).isEqualTo(body.get("event_id").asText());
        assertThat(got.header("content-type")).isEqualTo("application/json");
        assertThat(got.header("user-agent")).isEqualTo("Reelhook-Webhooks/1.0");
        JsonNode stored = JSON.readTree(io.reelhook.testing.Api.given()
                        .get("/api/v1/tasks/" + taskId + "/events")
                        .then()
                        .statusCode(200)
                        .extract()
                        .asString())
                .get(0);
        assertThat(body).isEqualTo(stored);
        assertThat(Long.parseLong(got.header("webhook-timestamp")))
                .isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(30L));
    }

    @Test
    void duringARotationBothSecretsSign() throws Exception {
        Endpoint endpoint = receiver.endpoint();
        String index = index();
        Map<String, Object> sub = fixtures.subscribe(endpoint.url, List.of("index.task.ready"), List.of(index));
        String old = (String) sub.get("secret");
        String fresh = admin().post(PATH + "/" + sub.get("id") + "/rotate-secret")
                .then()
                .statusCode(200)
                .extract()
                .path("secret");
        assertThat(fresh).startsWith("whsec_").isNotEqualTo(old);

        event(task(), index, "ready");

        Received got = awaitReceived(endpoint, 1).get(0);
        assertThat(got.header("webhook-signature").split(" ")).hasSize(2).allMatch(s -> s.startsWith("v1,"));
        new Webhook(fresh).verify(got.body(), got.headers());
        new Webhook(old).verify(got.body(), got.headers());
    }

    @Test
    void aReceiverFailingTwiceGetsTheEventThreeTimesWithOneId() {
        Endpoint endpoint = receiver.endpoint();
        endpoint.answer = (n, body) -> Answer.of(n <= 2 ? 500 : 204);
        String index = index();
        Map<String, Object> sub = fixtures.subscribe(endpoint.url, List.of("index.task.*"), List.of(index));

        event(task(), index, "ready");

        List<Received> got = awaitReceived(endpoint, 3);
        assertThat(got)
                .extracting(r -> r.header("webhook-id"))
                .containsOnly(got.get(0).header("webhook-id"));
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> admin().get(PATH + "/" + sub.get("id") + "/deliveries")
                        .then()
                        .statusCode(200)
                        .body("data[0].status", equalTo("delivered"))
                        .body("data[0].attempts.status_code", equalTo(List.of(500, 500, 204))));
        sleep(700);
        assertThat(endpoint.received).hasSize(3);
    }

    @Test
    void aTasksEventsArriveInCommitOrderWhileOtherTasksGoOn() throws Exception {
        Endpoint endpoint = receiver.endpoint();
        String index = index();
        String slow = task();
        String other = task();
        // the slow task's first event fails twice
        java.util.concurrent.atomic.AtomicInteger failures = new java.util.concurrent.atomic.AtomicInteger();
        endpoint.answer = (n, body) ->
                Answer.of(body.contains("\"status\":\"pending\"") && failures.incrementAndGet() <= 2 ? 503 : 200);
        fixtures.subscribe(endpoint.url, List.of("index.task.*"), List.of(index));

        event(slow, index, "pending");
        awaitReceived(endpoint, 1);
        event(slow, index, "indexing");
        event(slow, index, "ready");
        event(other, index, "ready");

        List<Received> got = awaitReceived(endpoint, 6);
        List<Long> slowSequences = got.stream()
                .filter(r -> r.body().contains(slow))
                .map(r -> sequence(r.body()))
                .toList();
        assertThat(slowSequences).hasSize(5).isSorted();
        assertThat(slowSequences.stream().distinct()).hasSize(3);
        assertThat(indexOf(got, other))
                .as("the other task is not held back by the slow one's retries")
                .isLessThan(indexOf(got, "\"status\":\"indexing\""));
    }

    @Test
    void gone410DisablesTheSubscription() {
        Endpoint endpoint = receiver.endpoint();
        endpoint.answer = (n, body) -> Answer.of(410);
        String index = index();
        Map<String, Object> sub = fixtures.subscribe(endpoint.url, List.of("index.task.*"), List.of(index));

        event(task(), index, "ready");

        awaitReceived(endpoint, 1);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> admin().get(PATH + "/" + sub.get("id"))
                        .then()
                        .body("enabled", equalTo(false))
                        .body("disabled_reason", equalTo("the endpoint answered 410 Gone")));
        event(task(), index, "ready");
        sleep(1000);
        assertThat(endpoint.received).hasSize(1);
    }

    @Test
    void retryAfterOn429IsHonoured() {
        Endpoint endpoint = receiver.endpoint();
        endpoint.answer = (n, body) -> n == 1 ? new Answer(429, Map.of("Retry-After", "2")) : Answer.of(200);
        String index = index();
        fixtures.subscribe(endpoint.url, List.of("index.task.*"), List.of(index));

        event(task(), index, "ready");

        List<Received> got = awaitReceived(endpoint, 2);
        assertThat(Duration.between(got.get(0).at(), got.get(1).at())).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    @Test
    void aRestartInTheMiddleOfTheScheduleLosesNothing() throws Exception {
        Endpoint endpoint = receiver.endpoint();
        endpoint.answer = (n, body) -> Answer.of(n == 1 ? 500 : 200);
        String index = index();
        Map<String, Object> sub = fixtures.subscribe(endpoint.url, List.of("index.task.*"), List.of(index));
        event(task(), index, "ready");
        awaitReceived(endpoint, 1);

        dispatcher.stop();
        try {
            // an instance killed while sending: it claimed the delivery and never finished it
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> !deliveries
                            .inTransaction(
                                    c -> DeliveryStore.claim(c, Map.of(), 10, Duration.ofSeconds(3), UUID.randomUUID()))
                            .isEmpty());
            admin().get(PATH + "/" + sub.get("id") + "/deliveries")
                    .then()
                    .body("data[0].status", equalTo("pending"))
                    .body("data[0].attempts.size()", equalTo(1));
        } finally {
            dispatcher.start();
        }

        List<Received> got = awaitReceived(endpoint, 2);
        assertThat(got.get(1).header("webhook-id")).isEqualTo(got.get(0).header("webhook-id"));
    }

    @Test
    void twoSubscriptionsGetExactlyTheirEvents() {
        Endpoint ready = receiver.endpoint();
        Endpoint ofIndex = receiver.endpoint();
        String a = index();
        String b = index();
        fixtures.subscribe(ready.url, List.of("index.task.ready"), List.of(a, b));
        fixtures.subscribe(ofIndex.url, List.of("index.task.*"), List.of(b));
        String t1 = task();
        String t2 = task();
        String t3 = task();

        event(t1, a, "ready");
        event(t2, b, "indexing");
        event(t3, b, "ready");
        event(task(), a, "indexing");

        awaitReceived(ready, 2);
        awaitReceived(ofIndex, 2);
        sleep(700);
        assertThat(ready.received).extracting(r -> taskOf(r.body())).containsExactly(t1, t3);
        assertThat(ofIndex.received).extracting(r -> taskOf(r.body())).containsExactly(t2, t3);
    }

    @Test
    void replaySendsARangeAgain() {
        Endpoint endpoint = receiver.endpoint();
        String index = index();
        Map<String, Object> sub = fixtures.subscribe(endpoint.url, List.of("index.task.*"), List.of(index));
        event(task(), index, "ready");
        long sequence = sequence(awaitReceived(endpoint, 1).get(0).body());

        admin().body(Map.of("from_sequence", sequence, "to_sequence", sequence))
                .post(PATH + "/" + sub.get("id") + "/replay")
                .then()
                .statusCode(202)
                .body("replayed", equalTo(1));

        List<Received> got = awaitReceived(endpoint, 2);
        assertThat(got.get(1).header("webhook-id")).isEqualTo(got.get(0).header("webhook-id"));
    }

    @Test
    void replayOfFailedOnesSendsWhatWasGivenUp() {
        Endpoint endpoint = receiver.endpoint();
        endpoint.answer = (n, body) -> Answer.of(n <= 4 ? 500 : 200);
        String index = index();
        Map<String, Object> sub = fixtures.subscribe(endpoint.url, List.of("index.task.*"), List.of(index));
        event(task(), index, "ready");
        awaitReceived(endpoint, 4);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> admin().get(PATH + "/" + sub.get("id") + "/deliveries")
                        .then()
                        .body("data[0].status", equalTo("failed")));

        admin().body(Map.of("failed_only", true))
                .post(PATH + "/" + sub.get("id") + "/replay")
                .then()
                .statusCode(202)
                .body("replayed", equalTo(1));

        awaitReceived(endpoint, 5);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> admin().get(PATH + "/" + sub.get("id") + "/deliveries")
                        .then()
                        .body("data[0].status", equalTo("delivered")));
    }

    private static List<Received> awaitReceived(Endpoint endpoint, int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> endpoint.received.size() >= count);
        return List.copyOf(endpoint.received);
    }

    private static long sequence(String body) {
        try {
            return JSON.readTree(body).get("sequence").asLong();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String taskOf(String body) {
        try {
            return JSON.readTree(body).get("task_id").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static int indexOf(List<Received> got, String task) {
        for (int i = 0; i < got.size(); i++) {
            if (got.get(i).body().contains(task)) {
                return i;
            }
        }
        return -1;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
