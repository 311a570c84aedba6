package io.reelhook.subscriptions;

import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.subscriptions.Receiver.Answer;
import io.reelhook.subscriptions.Receiver.Endpoint;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.reelhook.subscriptions.Fixtures.PATH;
import static io.reelhook.subscriptions.Fixtures.admin;
import static io.reelhook.subscriptions.Fixtures.event;
import static io.reelhook.subscriptions.Fixtures.index;
import static io.reelhook.subscriptions.Fixtures.task;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;

/** What operators see and rely on: metrics, the wellness check, isolation from slow endpoints, long failures. */
@QuarkusTest
class SubscriptionOperationsTest {

    private static Receiver receiver;
    private final Fixtures fixtures = new Fixtures();

    @Inject
    DataSource db;

    @Inject
    WebhooksConfig config;

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
    void deliveriesAreCountedByOutcomeAndTimed() {
        Endpoint endpoint = receiver.endpoint();
        endpoint.answer = (n, body) -> Answer.of(n == 1 ? 500 : 200);
        String index = index();
        fixtures.subscribe(endpoint.url, List.of("index.task.*"), List.of(index));
        double delivered = metric("reelhook_subscriptions_deliveries_total{outcome=\"delivered\"}");
        double retried = metric("reelhook_subscriptions_deliveries_total{outcome=\"retried\"}");

        event(task(), index, "ready");

        await().atMost(Duration.ofSeconds(30)).until(() -> endpoint.received.size() >= 2);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(metric("reelhook_subscriptions_deliveries_total{outcome=\"delivered\"}"))
                    .isEqualTo(delivered + 1);
            assertThat(metric("reelhook_subscriptions_deliveries_total{outcome=\"retried\"}"))
                    .isEqualTo(retried + 1);
        });
        io.reelhook.testing.Management.given()
                .get("/q/metrics")
                .then()
                .body(containsString("reelhook_subscriptions_delivery_latency_seconds_count"))
                .body(containsString("reelhook_subscriptions_delivery_delay_seconds_count"));
    }

    @Test
    void aFailingSubscriptionIsNamedAtWellnessUntilItSucceeds() {
        Endpoint endpoint = receiver.endpoint();
        endpoint.answer = (n, body) -> Answer.of(500);
        String index = index();
        String id = (String) fixtures.subscribe(endpoint.url, List.of("index.task.*"), List.of(index))
                .get("id");

        event(task(), index, "ready");

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> io.reelhook.testing.Management.given()
                        .get("/q/health/well")
                        .then()
                        .body("checks.find { it.name == 'subscriptions' }.status", equalTo("DOWN"))
                        .body("checks.find { it.name == 'subscriptions' }.data", hasKey(id)));
        endpoint.answer = (n, body) -> Answer.of(200);
        event(task(), index, "ready");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> io.reelhook.testing.Management.given()
                        .get("/q/health/well")
                        .then()
                        .body("checks.find { it.name == 'subscriptions' }.status", equalTo("UP")));
    }

    @Test
    void aSlowEndpointHoldsItsConcurrencyAndDoesNotDelayAnother() throws Exception {
        CountDownLatch answer = new CountDownLatch(1);
        Endpoint slow = receiver.endpoint();
        slow.answer = (n, body) -> {
            hold(answer);
            return Answer.of(200);
        };
        Endpoint fast = receiver.endpoint();
        String index = index();
        fixtures.subscribe(slow.url, List.of("index.task.*"), List.of(index));
        fixtures.subscribe(fast.url, List.of("index.task.*"), List.of(index));
        try {
            for (int i = 0; i < 2 * config.concurrency(); i++) {
                event(task(), index, "ready");
            }

            // everything reaches the fast endpoint while the slow one has not answered a single request
            await().atMost(Duration.ofSeconds(30)).until(() -> fast.received.size() == 2 * config.concurrency());
            // and the slow one holds as many as its concurrency allows, each of another task, and no more
            await().atMost(Duration.ofSeconds(30)).until(() -> slow.received.size() == config.concurrency());
            Thread.sleep(500);
            assertThat(slow.received).hasSize(config.concurrency());
            assertThat(slow.received.stream().map(r -> r.header("webhook-id")).distinct())
                    .hasSize(config.concurrency());
        } finally {
            answer.countDown();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> slow.received.size() == 2 * config.concurrency());
    }

    @Test
    void aSubscriptionFailingForDaysIsDisabled() throws Exception {
        Endpoint endpoint = receiver.endpoint();
        endpoint.answer = (n, body) -> Answer.of(500);
        String index = index();
        String id = (String) fixtures.subscribe(endpoint.url, List.of("index.task.*"), List.of(index))
                .get("id");
        event(task(), index, "ready");
        await().atMost(Duration.ofSeconds(30)).until(() -> endpoint.received.size() >= 1);
        admin().get(PATH + "/" + id).then().body("enabled", equalTo(true));

        // as if the first failure had been six days ago
        try (Connection c = db.getConnection();
                PreparedStatement s = c.prepareStatement(
                        "UPDATE subscription SET failing_since = now() - interval '6 days' WHERE id = ?")) {
            s.setObject(1, UUID.fromString(id));
            assertThat(s.executeUpdate()).isEqualTo(1);
        }

        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> admin().get(PATH + "/" + id)
                        .then()
                        .body("enabled", equalTo(false))
                        .body("disabled_reason", containsString("failed for")));
    }

    private static double metric(String series) {
        String text = io.reelhook.testing.Management.given()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE)
                .matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    private static void hold(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
