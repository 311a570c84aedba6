package io.reelhook.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.testing.TestVideos;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

@QuarkusTest
class SimulatorTest {

    static final String TASKS = SimulatorConfig.BASE_PATH + "/tasks";
    /** The README's sample: 640x360, 5 s, with sound (34 KB). */
    static final Path SAMPLE = Path.of("samples/sample.mp4");

    static final Duration PATIENCE = Duration.ofSeconds(30);

    /** The test profile's reelhook.simulator.api-key (also its twelvelabs.api-key, so that proxied uploads pass). */
    static final String KEY = "test-upstream-key";

    static RequestSpecification api() {
        return given().header("x-api-key", KEY);
    }

    static String upload(Path video, String indexId, String userMetadata) {
        return api().multiPart("index_id", indexId)
                .multiPart("video_file", video.toFile(), "video/mp4")
                .multiPart("user_metadata", userMetadata)
                .post(TASKS)
                .then()
                .statusCode(200)
                .body("_id", matchesPattern("[0-9a-f]{24}"))
                .body("video_id", notNullValue())
                .extract()
                .path("_id");
    }

    static String awaitStatus(String taskId, String status) {
        await().atMost(PATIENCE)
                .untilAsserted(() ->
                        api().get(TASKS + "/" + taskId).then().statusCode(200).body("status", equalTo(status)));
        return taskId;
    }

    @Test
    void taskGoesThroughTwelveLabsStatusesToReadyAndIsNotifiedSigned() throws Exception {
        Hooks hooks = new Hooks();
        String index = UUID.randomUUID().toString();
        String taskId = upload(SAMPLE, index, hooks.metadata(Map.of()));

        List<String> seen = new ArrayList<>();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).until(() -> {
            String status = api().get(TASKS + "/" + taskId)
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("status");
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(status)) {
                seen.add(status);
            }
            return "ready".equals(status);
        });
        assertThat(SimTask.STATUSES).containsSubsequence(seen);

        api().get(TASKS + "/" + taskId)
                .then()
                .statusCode(200)
                .body("_id", equalTo(taskId))
                .body("index_id", equalTo(index))
                .body("system_metadata.filename", equalTo("sample.mp4"))
                .body("user_metadata.simulator.webhook_url", equalTo(hooks.url()))
                .body("created_at", notNullValue())
                .body("updated_at", notNullValue());

        await().atMost(PATIENCE).until(() -> hooks.received().size() == 1);
        JsonNode notification = Hooks.verified(hooks.received().get(0));
        assertThat(notification.path("id").asText()).startsWith("whe_");
        assertThat(notification.path("type").asText()).isEqualTo("index.task.ready");
        assertThat(notification.path("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
        assertThat(notification.path("data").path("id").asText()).isEqualTo(taskId);
        assertThat(notification.path("data").path("status").asText()).isEqualTo("ready");
        assertThat(notification.path("data").path("models").isArray()).isTrue();
        assertThat(notification.path("data").path("tags").isArray()).isTrue();
    }

    @Test
    void probedVideoReportsItsSystemMetadata() throws Exception {
        TestVideos.assumeAvailable();
        String taskId = awaitStatus(upload(SAMPLE, "idx", new Hooks().metadata(Map.of())), "ready");
        api().get(TASKS + "/" + taskId)
                .then()
                .body("system_metadata.width", equalTo(640))
                .body("system_metadata.height", equalTo(360))
                .body("system_metadata.duration", equalTo(5.0f));
    }

    @Test
    void videoTwelveLabsWouldRefuseFailsAtValidationWithFailedNotification() throws Exception {
        TestVideos.assumeAvailable();
        Path tooShort = TestVideos.make(640, 360, 2);
        Hooks hooks = new Hooks();
        awaitStatus(upload(tooShort, "idx", hooks.metadata(Map.of())), "failed");
        await().atMost(PATIENCE).until(() -> hooks.received().size() == 1);
        JsonNode notification = Hooks.verified(hooks.received().get(0));
        assertThat(notification.path("type").asText()).isEqualTo("index.task.failed");
        assertThat(notification.path("data").path("status").asText()).isEqualTo("failed");
    }

    @Test
    void brokenAndTooSmallVideosFail() throws Exception {
        TestVideos.assumeAvailable();
        Path tooSmall = TestVideos.make(320, 240, 5);
        Path broken = Files.createTempFile("reelhook-broken-", ".mp4");
        Files.write(broken, new byte[4096]);
        awaitStatus(upload(tooSmall, "idx", new Hooks().metadata(Map.of())), "failed");
        awaitStatus(upload(broken, "idx", new Hooks().metadata(Map.of())), "failed");
    }

    @Test
    void failSwitchFailsAnyVideoWithTheGivenCode() throws Exception {
        Hooks hooks = new Hooks();
        awaitStatus(upload(SAMPLE, "idx", hooks.metadata(Map.of("fail", "video_resolution_too_high"))), "failed");
        await().atMost(PATIENCE).until(() -> hooks.received().size() == 1);
        assertThat(Hooks.verified(hooks.received().get(0)).path("type").asText())
                .isEqualTo("index.task.failed");
    }

    @Test
    void videoUrlIsDownloadedAndIndexed() throws Exception {
        Hooks hooks = new Hooks();
        String path = "/simulator/videos/" + UUID.randomUUID() + "/clip.mp4";
        hooks.wireMock.register(
                WireMock.get(path).willReturn(WireMock.aResponse().withBody(Files.readAllBytes(SAMPLE))));
        String taskId = api().multiPart("index_id", "idx")
                .multiPart("video_url", Hooks.base() + path)
                .multiPart("user_metadata", hooks.metadata(Map.of()))
                .post(TASKS)
                .then()
                .statusCode(200)
                .extract()
                .path("_id");
        awaitStatus(taskId, "ready");
        api().get(TASKS + "/" + taskId).then().body("system_metadata.filename", equalTo("clip.mp4"));
        await().atMost(PATIENCE).until(() -> hooks.received().size() == 1);
    }

    @Test
    void requestsAreCheckedAsTwelveLabsChecksThem() {
        given().multiPart("index_id", "idx")
                .multiPart("video_url", "http://localhost/v.mp4")
                .post(TASKS)
                .then()
                .statusCode(401)
                .body("code", equalTo("api_key_invalid"));
        api().multiPart("video_url", "http://localhost/v.mp4")
                .post(TASKS)
                .then()
                .statusCode(400)
                .body("code", equalTo("parameter_not_provided"));
        api().multiPart("index_id", "idx")
                .post(TASKS)
                .then()
                .statusCode(400)
                .body("code", equalTo("parameter_not_provided"));
        api().multiPart("index_id", "idx")
                .multiPart("video_url", "http://localhost/v.mp4")
                .multiPart("video_file", SAMPLE.toFile())
                .post(TASKS)
                .then()
                .statusCode(400)
                .body("code", equalTo("parameter_invalid"));
        api().multiPart("index_id", "idx")
                .multiPart("video_url", "http://localhost/v.mp4")
                .multiPart("user_metadata", "[1, 2]")
                .post(TASKS)
                .then()
                .statusCode(400)
                .body("code", equalTo("parameter_invalid"));
        api().get(TASKS + "/" + "0".repeat(24)).then().statusCode(404).body("code", equalTo("resource_not_exist"));
        api().queryParam("page_limit", 51).get(TASKS).then().statusCode(400).body("code", equalTo("parameter_invalid"));
    }

    @Test
    void fieldNamesAreMatchedCaseInsensitively() throws Exception {
        api().multiPart("INDEX_ID", "idx")
                .multiPart("video_file", SAMPLE.toFile(), "video/mp4")
                .multiPart("user_metadata", new Hooks().metadata(Map.of()))
                .post(TASKS)
                .then()
                .statusCode(200)
                .body("_id", notNullValue());
    }

    @Test
    void listFiltersSortsAndPages() throws Exception {
        String index = UUID.randomUUID().toString();
        String first = upload(SAMPLE, index, new Hooks().metadata(Map.of()));
        String second = upload(SAMPLE, index, new Hooks().metadata(Map.of()));

        api().queryParam("index_id", index)
                .queryParam("page_limit", 1)
                .queryParam("sort_option", "asc")
                .get(TASKS)
                .then()
                .statusCode(200)
                .body("data", hasSize(1))
                .body("data[0]._id", equalTo(first))
                .body("page_info.page", equalTo(1))
                .body("page_info.limit_per_page", equalTo(1))
                .body("page_info.total_page", equalTo(2))
                .body("page_info.total_results", equalTo(2));
        api().queryParam("index_id", index)
                .queryParam("page_limit", 1)
                .queryParam("page", 2)
                .queryParam("sort_option", "asc")
                .get(TASKS)
                .then()
                .body("data[0]._id", equalTo(second));
        awaitStatus(first, "ready");
        awaitStatus(second, "ready");
        api().queryParam("index_id", index)
                .queryParam("status", "ready")
                .queryParam("status", "failed")
                .get(TASKS)
                .then()
                .body("page_info.total_results", equalTo(2));
        api().queryParam("index_id", index)
                .queryParam("status", "failed")
                .get(TASKS)
                .then()
                .body("data", hasSize(0));
    }
}
