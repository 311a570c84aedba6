package io.reelhook.upload;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.testing.Api;
import io.reelhook.testing.EventRows;
import io.reelhook.testing.PostgresResource;
import io.reelhook.testing.TwelveLabsResource;
import io.reelhook.webhook.SignatureHeader;
import io.reelhook.webhook.WebhookSigner;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** A task Twelve Labs made while the database was down is kept on disk and stored once the database is back. */
@QuarkusTest
class PendingTasksTest {

    @Inject
    EventRows eventRows;

    static final String TASKS = "/v1.3/tasks";

    @ConfigProperty(name = TwelveLabsResource.PORT)
    int wiremockPort;

    @ConfigProperty(name = "reelhook.upload.journal-directory")
    Path journal;

    WireMock twelveLabs;

    @BeforeEach
    void resetUpstream() {
        twelveLabs = new WireMock("localhost", wiremockPort);
        twelveLabs.resetRequests();
        twelveLabs.removeMappings();
    }

    @Test
    void aTaskMadeWhileTheDatabaseIsDownIsStoredOnceItIsBack() throws Exception {
        String taskId = madeUpstream();
        Path kept = journal.resolve(taskId + ".json");
        PostgresResource.halt();
        try {
            uploadRefused(taskId, "journal-1.mp4");
            assertThat(kept).exists();
        } finally {
            PostgresResource.restart();
        }
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(kept).doesNotExist());
        Api.given()
                .get(TASKS + "/" + taskId)
                .then()
                .statusCode(200)
                .body("index_id", equalTo("idx_journal"))
                .body("status", equalTo("validating"))
                .body("system_metadata.filename", equalTo("journal-1.mp4"))
                .body("user_metadata.shelf", equalTo("b2"));
        assertThat(eventRows.ofTask(taskId))
                .extracting(e -> e.source() + ":" + e.status() + ":" + e.applied())
                .containsExactly("upload:validating:true");
    }

    /** The webhook wins the race against the journal: the upload's details still join the task, status unmoved. */
    @Test
    void aWebhookStoredFirstKeepsItsStatusAndGainsTheUploadsDetails() throws Exception {
        String taskId = madeUpstream();
        Path kept = journal.resolve(taskId + ".json");
        Path held = Files.createTempDirectory(Path.of("target"), "held-").resolve(kept.getFileName());
        PostgresResource.halt();
        try {
            uploadRefused(taskId, "journal-2.mp4");
            // held back (as a slow drain would be) until the webhook is stored
            Files.move(kept, held, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            PostgresResource.restart();
        }
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> webhook(taskId).statusCode(200));
        Api.given().get(TASKS + "/" + taskId).then().statusCode(200).body("status", equalTo("ready"));

        Files.move(held, kept, StandardCopyOption.ATOMIC_MOVE);
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> assertThat(kept).doesNotExist());
        Api.given()
                .get(TASKS + "/" + taskId)
                .then()
                .statusCode(200)
                .body("status", equalTo("ready"))
                .body("index_id", equalTo("idx_journal"))
                .body("system_metadata.filename", equalTo("journal-2.mp4"))
                .body("user_metadata.shelf", equalTo("b2"));
        assertThat(eventRows.ofTask(taskId))
                .extracting(e -> e.source() + ":" + e.status() + ":" + e.applied())
                .containsExactly("webhook:ready:true", "upload:validating:false");
    }

    private String madeUpstream() {
        String taskId = "task_" + UUID.randomUUID().toString().replace("-", "");
        twelveLabs.register(
                post(urlEqualTo(TASKS)).willReturn(okJson("{\"_id\":\"" + taskId + "\",\"video_id\":null}")));
        return taskId;
    }

    private static void uploadRefused(String taskId, String filename) {
        Api.given()
                .multiPart("index_id", "idx_journal")
                .multiPart("video_url", "https://videos.example/clips/" + filename)
                .multiPart("user_metadata", "{\"shelf\":\"b2\"}")
                .post(TASKS)
                .then()
                .statusCode(503)
                .body("code", equalTo("database_unavailable"))
                .body("message", containsString(taskId))
                .body("message", containsString("will be recorded"));
    }

    private static io.restassured.response.ValidatableResponse webhook(String taskId) {
        String body = """
                {"id":"whe_%s","created_at":"2026-01-02T03:04:05Z","type":"index.task.ready",\
                "data":{"id":"%s","status":"ready"}}""".formatted(UUID.randomUUID(), taskId);
        long now = Instant.now().getEpochSecond();
        String signature = "t=" + now + ",v1="
                + new WebhookSigner(List.of("whsec_test")).sign(now, body.getBytes(StandardCharsets.UTF_8));
        return RestAssured.given()
                .contentType("application/json")
                .header(SignatureHeader.NAME, signature)
                .body(body)
                .post("/webhooks/twelvelabs")
                .then();
    }
}
