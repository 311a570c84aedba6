package io.reelhook.simulator;

import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.db.Jdbc;
import io.reelhook.outbox.Topics;
import io.reelhook.reconcile.Reconciler;
import io.reelhook.stream.SseClient;
import io.reelhook.testing.Api;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.reelhook.simulator.SimulatorTest.PATIENCE;
import static io.reelhook.simulator.SimulatorTest.SAMPLE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The whole flow with the simulator as Twelve Labs (no stubbed answers): Reelhook's upload reaches the simulator
 * (WireMock, the test profile's upstream, proxies this test's requests only), the simulator's signed webhook reaches
 * Reelhook's receiver, and the completed event reaches Kafka and the SSE stream.
 */
@QuarkusTest
class EndToEndTest {

    @Inject
    Reconciler reconciler;

    @Inject
    DataSource db;

    @Test
    void uploadIsIndexedNotifiedStoredAndPublished() throws Exception {
        String taskId = upload(Map.of());
        try (SseClient stream = SseClient.connect(
                URI.create("http://localhost:" + RestAssured.port + "/api/v1/events/stream?after=0&task_id=" + taskId),
                null)) {
            awaitReady(taskId);
            await().atMost(PATIENCE)
                    .until(() -> stream.events().stream().anyMatch(e -> e.type().equals("index.task.ready")));
        }
        await().atMost(PATIENCE)
                .until(() -> Topics.readAll(Topics.INDEXING_COMPLETED, Set.of(taskId))
                                .size()
                        == 1);
        assertThat(Topics.readAll(Topics.INDEXING_COMPLETED, Set.of(taskId))
                        .get(0)
                        .value())
                .contains("\"type\":\"index.task.ready\"")
                .contains("\"source\":\"webhook\"");
        // both topics are written at once: the completed record may land before the task-events one
        await().atMost(PATIENCE)
                .until(() -> Topics.readAll(Topics.TASK_EVENTS, Set.of(taskId)).size() == 2);
        var events = Topics.readAll(Topics.TASK_EVENTS, Set.of(taskId));
        assertThat(events)
                .extracting(r -> Topics.header(r, "ce_type"))
                .containsExactly("io.twelvelabs.index.task.validating", "io.twelvelabs.index.task.ready");
        assertThat(events).allSatisfy(r -> {
            assertThat(r.key()).isEqualTo(taskId);
            assertThat(Topics.header(r, "ce_subject")).isEqualTo(taskId);
            assertThat(Topics.header(r, "ce_source")).isEqualTo("reelhook");
            assertThat(Topics.header(r, "ce_id"))
                    .isEqualTo(r.value().replaceFirst(".*\"event_id\":\"([^\"]+)\".*", "$1"));
        });
    }

    @Test
    void duplicateDelayedAndEarlyDeliveriesStillCompleteEachTaskOnce() throws Exception {
        List<String> tasks = List.of(
                upload(Map.of("duplicate", true)),
                upload(Map.of("duplicate", true, "delay", "1s")),
                upload(Map.of("early", true)));
        for (String taskId : tasks) {
            awaitReady(taskId);
        }
        await().atMost(PATIENCE)
                .until(() -> Topics.readAll(Topics.INDEXING_COMPLETED, Set.copyOf(tasks))
                                .size()
                        == 3);
        for (String taskId : tasks) {
            assertThat(Topics.readAll(Topics.INDEXING_COMPLETED, Set.of(taskId)))
                    .hasSize(1);
            Api.given()
                    .get("/api/v1/tasks/" + taskId)
                    .then()
                    .statusCode(200)
                    .body("task.status", equalTo("ready"))
                    .body(
                            "events.findAll { it.status == 'ready' && it.previous_status != 'ready' }.size()",
                            equalTo(1));
        }
    }

    @Test
    void aDroppedDeliveryIsFoundByReconciliation() throws Exception {
        String taskId = upload(Map.of("drop", true));
        proxy(get(urlEqualTo("/v1.3/tasks/" + taskId)));
        await().atMost(PATIENCE)
                .untilAsserted(() -> SimulatorTest.api()
                        .get("/simulator/v1.3/tasks/" + taskId)
                        .then()
                        .body("status", equalTo("ready")));
        Api.given().get("/v1.3/tasks/" + taskId).then().body("status", equalTo("validating"));

        await().atMost(PATIENCE).untilAsserted(() -> {
            makeDue(taskId);
            reconciler.reconcileDue();
            Api.given().get("/v1.3/tasks/" + taskId).then().body("status", equalTo("ready"));
        });
        Api.given()
                .get("/api/v1/tasks/" + taskId)
                .then()
                .body("events.findAll { it.status == 'ready' }.source", org.hamcrest.Matchers.contains("reconciler"));
        await().atMost(PATIENCE)
                .until(() -> Topics.readAll(Topics.INDEXING_COMPLETED, Set.of(taskId))
                                .size()
                        == 1);
    }

    private String upload(Map<String, Object> chaos) throws Exception {
        String index = UUID.randomUUID().toString();
        Hooks hooks = new Hooks();
        hooks.wireMock.register(post(urlEqualTo("/v1.3/tasks"))
                .atPriority(1)
                .withRequestBody(containing(index))
                .willReturn(aResponse().proxiedFrom(simulator())));
        // the simulator posts only to its webhook URL's origin (WireMock here), which passes them on to Reelhook
        hooks.wireMock.register(post(urlEqualTo(hooks.path))
                .atPriority(1)
                .willReturn(aResponse()
                        .proxiedFrom("http://localhost:" + RestAssured.port + "/webhooks/twelvelabs")
                        .withProxyUrlPrefixToRemove(hooks.path)));
        Map<String, Object> switches = new java.util.HashMap<>(chaos);
        switches.put("webhook_url", hooks.url());
        return Api.given()
                .multiPart("index_id", index)
                .multiPart("video_file", SAMPLE.toFile(), "application/octet-stream")
                .multiPart(
                        "user_metadata",
                        new com.fasterxml.jackson.databind.ObjectMapper()
                                .writeValueAsString(Map.of("simulator", switches)))
                .post("/v1.3/tasks")
                .then()
                .statusCode(200)
                .extract()
                .path("_id");
    }

    private void proxy(com.github.tomakehurst.wiremock.client.MappingBuilder request) {
        new Hooks()
                .wireMock.register(request.atPriority(1).willReturn(aResponse().proxiedFrom(simulator())));
    }

    private static String simulator() {
        return "http://localhost:" + RestAssured.port + "/simulator";
    }

    private static void awaitReady(String taskId) {
        await().atMost(PATIENCE)
                .untilAsserted(() -> Api.given()
                        .get("/v1.3/tasks/" + taskId)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo("ready")));
    }

    void makeDue(String taskId) {
        Jdbc.update(
                db, "UPDATE task SET heard_at = now() - interval '1 day', reconciled_at = NULL WHERE id = ?", taskId);
    }
}
