package io.reelhook.subscriptions;

import io.reelhook.webhook.SignatureHeader;
import io.reelhook.webhook.WebhookSigner;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Subscriptions through the admin API, and events through the real webhook receiver (signed like Twelve Labs). */
final class Fixtures {

    static final String ADMIN_KEY = "test-admin-key";
    static final String PATH = "/api/v1/subscriptions";

    private final List<String> created = new ArrayList<>();

    static RequestSpecification admin() {
        return RestAssured.given().header("x-api-key", ADMIN_KEY).contentType(ContentType.JSON);
    }

    /** Creates a subscription; answers the whole 201 body. */
    Map<String, Object> subscribe(String url, List<String> types, List<String> indexIds) {
        Map<String, Object> body = admin().body(
                        Map.of("url", url, "event_types", types, "index_ids", indexIds, "description", "test"))
                .post(PATH)
                .then()
                .statusCode(201)
                .extract()
                .jsonPath()
                .getMap("");
        created.add((String) body.get("id"));
        return body;
    }

    /** Deletes what {@link #subscribe} made, so that no test's subscription outlives it. */
    void cleanUp() {
        created.forEach(id -> admin().delete(PATH + "/" + id));
        created.clear();
    }

    /** Posts a signed Twelve Labs notification; the event is committed when this returns. */
    static void event(String taskId, String indexId, String status) {
        String body = """
                {"id":"whe_%s","created_at":"2026-01-02T03:04:05Z","type":"index.task.%s",\
                "data":{"id":"%s","index_id":"%s","status":"%s","metadata":{"duration":30}}}""".formatted(UUID.randomUUID(), status, taskId, indexId, status);
        long t = Instant.now().getEpochSecond();
        String signature = "t=" + t + ",v1="
                + new WebhookSigner(List.of("whsec_test")).sign(t, body.getBytes(StandardCharsets.UTF_8));
        RestAssured.given()
                .contentType(ContentType.JSON)
                .header(SignatureHeader.NAME, signature)
                .body(body)
                .post("/webhooks/twelvelabs")
                .then()
                .statusCode(200);
    }

    static String task() {
        return "task_" + UUID.randomUUID();
    }

    static String index() {
        return "idx_" + UUID.randomUUID();
    }
}
