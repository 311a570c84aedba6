package io.reelhook.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.testing.Api;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.reelhook.simulator.SimulatorTest.PATIENCE;
import static io.reelhook.simulator.SimulatorTest.SAMPLE;
import static io.reelhook.simulator.SimulatorTest.TASKS;
import static io.reelhook.simulator.SimulatorTest.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * Reelhook's own upload with the simulator as its upstream. The test profile's upstream is WireMock (a real-looking
 * key is set), so WireMock proxies this test's request, and only it (matched on its unique index id), to the
 * simulator in the same Quarkus instance: the request Reelhook sends is exactly what Twelve Labs would receive.
 */
@QuarkusTest
class ReelhookThroughSimulatorTest {

    /** Uploads through Reelhook, WireMock passing the request on to the simulator; returns the task id. */
    private static String upload(Hooks hooks, Map<String, Object> chaos) throws Exception {
        String index = UUID.randomUUID().toString();
        hooks.wireMock.register(post(urlEqualTo("/v1.3/tasks"))
                .atPriority(1)
                .withRequestBody(containing(index))
                .willReturn(aResponse().proxiedFrom("http://localhost:" + RestAssured.port + "/simulator")));
        String taskId = Api.given()
                .multiPart("index_id", index)
                .multiPart("video_file", SAMPLE.toFile(), "video/mp4")
                .multiPart("user_metadata", hooks.metadata(chaos))
                .post("/v1.3/tasks")
                .then()
                .statusCode(200)
                .extract()
                .path("_id");
        api().get(TASKS + "/" + taskId)
                .then()
                .statusCode(200)
                .body("index_id", equalTo(index))
                .body("system_metadata.filename", equalTo("sample.mp4"));
        Api.given().get("/v1.3/tasks/" + taskId).then().statusCode(200).body("index_id", equalTo(index));
        return taskId;
    }

    @Test
    void uploadThroughReelhookIsIndexedBySimulatorWhichNotifiesSigned() throws Exception {
        Hooks hooks = new Hooks();
        String taskId = upload(hooks, Map.of());
        await().atMost(PATIENCE).until(() -> hooks.received().size() == 1);
        JsonNode notification = Hooks.verified(hooks.received().get(0));
        assertThat(notification.path("type").asText()).isEqualTo("index.task.ready");
        assertThat(notification.path("data").path("id").asText()).isEqualTo(taskId);
    }

    @Test
    void videoThatPassedReelhooksChecksCanStillFailAtTheSimulator() throws Exception {
        Hooks hooks = new Hooks();
        String taskId = upload(hooks, Map.of("fail", "video_file_broken"));
        await().atMost(PATIENCE).until(() -> hooks.received().size() == 1);
        JsonNode notification = Hooks.verified(hooks.received().get(0));
        assertThat(notification.path("type").asText()).isEqualTo("index.task.failed");
        assertThat(notification.path("data").path("id").asText()).isEqualTo(taskId);
    }
}
