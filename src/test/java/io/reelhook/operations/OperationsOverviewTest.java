package io.reelhook.operations;

import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.db.Jdbc;
import io.reelhook.testing.Api;
import io.reelhook.testing.TwelveLabsResource;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class OperationsOverviewTest {

    @Inject
    DataSource db;

    private static JsonPath overview() {
        return Api.given()
                .get("/api/v1/operations")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    @Test
    void namesTheUpstreamAndTheOutboxLeader() {
        JsonPath o = overview();
        assertThat(o.getString("upstream.kind")).isEqualTo("twelve_labs");
        assertThat(o.getString("upstream.url"))
                .isEqualTo("http://localhost:"
                        + ConfigProvider.getConfig().getValue(TwelveLabsResource.PORT, Integer.class) + "/v1.3");
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(
                        () -> assertThat(overview().getString("outbox.leader")).isEqualTo("this_instance"));
        assertThat(o.getLong("outbox.published")).isLessThanOrEqualTo(o.getLong("outbox.latest"));
        assertThat(o.getString("reconciler.every")).isEqualTo("off");
        assertThat(o.getLong("reconciler.after_seconds")).isEqualTo(900);
        assertThat(o.getString("subscriptions.status")).isIn("UP", "DOWN");
        assertThat(o.getLong("subscriptions.total")).isGreaterThanOrEqualTo(o.getLong("subscriptions.enabled"));
    }

    @Test
    void countsTheLastHoursWebhooksByOutcome() {
        JsonPath before = overview();
        given().contentType("application/json")
                .body("{}")
                .post("/webhooks/twelvelabs")
                .then()
                .statusCode(401);
        given().contentType("application/json")
                .header("TL-Signature", "t=1,v1=" + "0".repeat(64))
                .body("{}")
                .post("/webhooks/twelvelabs")
                .then()
                .statusCode(401);
        JsonPath after = overview();
        assertThat(after.getLong("webhooks.by_outcome.bad_signature"))
                .isEqualTo(before.getLong("webhooks.by_outcome.bad_signature") + 1);
        assertThat(after.getLong("webhooks.by_outcome.stale"))
                .isEqualTo(before.getLong("webhooks.by_outcome.stale") + 1);
        assertThat(after.getLong("webhooks.refused")).isEqualTo(before.getLong("webhooks.refused") + 2);
        assertThat(after.getLong("webhooks.accepted")).isEqualTo(before.getLong("webhooks.accepted"));
        assertThat(after.getLong("webhooks.window_seconds")).isEqualTo(3600);
        assertThat(after.getMap("webhooks.by_outcome"))
                .containsOnlyKeys(
                        "accepted",
                        "duplicate",
                        "bad_signature",
                        "stale",
                        "bad_request",
                        "too_large",
                        "db_unavailable",
                        "busy");
    }

    @Test
    void listsStalledTasks() {
        String taskId = "stalled_" + UUID.randomUUID();
        long before = overview().getLong("reconciler.stalled");
        insertStalled(taskId);
        try {
            JsonPath after = overview();
            assertThat(after.getLong("reconciler.stalled")).isEqualTo(before + 1);
            List<Map<String, Object>> listed = after.getList("reconciler.stalled_tasks");
            assertThat(listed).anySatisfy(t -> {
                assertThat(t).containsEntry("id", taskId).containsEntry("status", "indexing");
                assertThat(t.get("stalled_at")).isNotNull();
            });
        } finally {
            delete(taskId);
        }
    }

    @Test
    void needsAKey() {
        given().get("/api/v1/operations").then().statusCode(401).body("code", equalTo("api_key_invalid"));
    }

    private void insertStalled(String taskId) {
        Jdbc.update(
                db,
                "INSERT INTO task (id, status, filename, created_at, updated_at, heard_at, stalled_at)"
                        + " VALUES (?, 'indexing', 'old.mp4', now() - interval '2 days', now(), now(), now())",
                taskId);
    }

    private void delete(String taskId) {
        Jdbc.update(db, "DELETE FROM task WHERE id = ?", taskId);
    }
}
