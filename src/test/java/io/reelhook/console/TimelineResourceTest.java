package io.reelhook.console;

import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.testing.Api;
import io.reelhook.webhook.WebhookSigner;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class TimelineResourceTest {

    private static final WebhookSigner SIGNER = new WebhookSigner(List.of("whsec_test"));

    @Test
    void everyEventAppliedOrNotWithTheRawNotificationAndTheReconciliationState() {
        String taskId = "task_" + UUID.randomUUID();
        String ready = notification(taskId, "index.task.ready", "ready");
        String late = notification(taskId, "index.task.indexing", "indexing");
        deliver(ready);
        deliver(late);

        Api.given()
                .get("/api/v1/tasks/" + taskId + "/timeline")
                .then()
                .statusCode(200)
                .body("task._id", equalTo(taskId))
                .body("task.status", equalTo("ready"))
                .body("reconciliation.terminal", equalTo(true))
                .body("reconciliation.heard_at", notNullValue())
                .body("reconciliation.stalled_at", nullValue())
                .body("events.type", contains("index.task.ready", "index.task.indexing"))
                .body("events.source", contains("webhook", "webhook"))
                .body("events.applied", contains(true, false))
                .body("events.completes", contains(true, false))
                .body("events[0].notification", equalTo(ready))
                .body("events[1].notification", equalTo(late))
                .body("events[0].metadata.duration", equalTo(30));
    }

    @Test
    void anUnknownTaskIs404AndAKeyIsNeeded() {
        Api.given()
                .get("/api/v1/tasks/no-such-task/timeline")
                .then()
                .statusCode(404)
                .body("code", equalTo("resource_not_exist"));
        given().get("/api/v1/tasks/no-such-task/timeline").then().statusCode(401);
    }

    private static String notification(String taskId, String type, String status) {
        return """
                {"id":"whe_%s","created_at":"2026-01-02T03:04:05Z","type":"%s",\
                "data":{"id":"%s","status":"%s","metadata":{"duration":30}}}""".formatted(UUID.randomUUID(), type, taskId, status);
    }

    private static void deliver(String body) {
        long t = Instant.now().getEpochSecond();
        given().contentType("application/json")
                .header("TL-Signature", "t=" + t + ",v1=" + SIGNER.sign(t, body.getBytes(StandardCharsets.UTF_8)))
                .body(body)
                .post("/webhooks/twelvelabs")
                .then()
                .statusCode(200);
    }
}
