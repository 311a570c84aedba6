package io.reelhook.simulator;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.reelhook.simulator.SimulatorTest.PATIENCE;
import static io.reelhook.simulator.SimulatorTest.SAMPLE;
import static io.reelhook.simulator.SimulatorTest.TASKS;
import static io.reelhook.simulator.SimulatorTest.api;
import static io.reelhook.simulator.SimulatorTest.awaitStatus;
import static io.reelhook.simulator.SimulatorTest.upload;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;

/** Each chaos switch, set per task through {@code user_metadata.simulator}, does what it says. */
@QuarkusTest
class SimulatorChaosTest {

    @jakarta.inject.Inject
    Simulator simulator;

    @Test
    void duplicateDeliversTheSameNotificationTwice() throws Exception {
        Hooks hooks = new Hooks();
        awaitStatus(upload(SAMPLE, "idx", hooks.metadata(Map.of("duplicate", true))), "ready");
        await().atMost(PATIENCE).until(() -> hooks.received().size() == 2);
        List<LoggedRequest> received = hooks.received();
        assertThat(Hooks.verified(received.get(0)).path("id"))
                .isEqualTo(Hooks.verified(received.get(1)).path("id"));
    }

    @Test
    void droppedNotificationIsNeverSentButTheTaskAnswersReady() throws Exception {
        Hooks hooks = new Hooks();
        String dropped = awaitStatus(upload(SAMPLE, "idx", hooks.metadata(Map.of("drop", true))), "ready");
        // a later task on the same endpoint is delivered; the dropped one, done earlier, never is
        String delivered = awaitStatus(upload(SAMPLE, "idx", hooks.metadata(Map.of())), "ready");
        await().atMost(PATIENCE).until(() -> hooks.received().size() == 1);
        assertThat(Hooks.verified(hooks.received().get(0))
                        .path("data")
                        .path("id")
                        .asText())
                .isEqualTo(delivered)
                .isNotEqualTo(dropped);
    }

    @Test
    void delayedNotificationArrivesAfterOneFromALaterTask() throws Exception {
        Hooks hooks = new Hooks();
        String delayed = upload(SAMPLE, "idx", hooks.metadata(Map.of("delay", "3s")));
        String prompt = upload(SAMPLE, "idx", hooks.metadata(Map.of()));
        await().atMost(PATIENCE).until(() -> hooks.received().size() == 2);
        List<String> order = hooks.received().stream()
                .sorted((a, b) -> a.getLoggedDate().compareTo(b.getLoggedDate()))
                .map(request -> Hooks.body(request).path("data").path("id").asText())
                .toList();
        assertThat(order).containsExactly(prompt, delayed);
    }

    @Test
    void earlyNotificationIsDeliveredBeforeTheTaskIdIsAnswered() throws Exception {
        Hooks hooks = new Hooks();
        String taskId = upload(SAMPLE, "idx", hooks.metadata(Map.of("early", true)));
        assertThat(hooks.received()).hasSize(1);
        assertThat(Hooks.verified(hooks.received().get(0))
                        .path("data")
                        .path("id")
                        .asText())
                .isEqualTo(taskId);
        api().get(TASKS + "/" + taskId).then().statusCode(200).body("status", equalTo("ready"));
    }

    @Test
    void refusedDeliveryIsRetriedUntilAccepted() throws Exception {
        Hooks hooks = new Hooks(500);
        hooks.wireMock.register(WireMock.post(hooks.path)
                .inScenario(hooks.path)
                .whenScenarioStateIs(Scenario.STARTED)
                .willSetStateTo("refused once")
                .willReturn(WireMock.serverError()));
        hooks.wireMock.register(WireMock.post(hooks.path)
                .inScenario(hooks.path)
                .whenScenarioStateIs("refused once")
                .willReturn(WireMock.ok()));
        awaitStatus(upload(SAMPLE, "idx", hooks.metadata(Map.of())), "ready");
        await().atMost(PATIENCE).until(() -> hooks.received().size() == 2);
        assertThat(Hooks.verified(hooks.received().get(0)).path("id"))
                .isEqualTo(Hooks.verified(hooks.received().get(1)).path("id"));
        assertThat(hooks.wireMock.getScenarios())
                .anyMatch(s -> s.getId().equals(hooks.path) && s.getState().equals("refused once"));
    }

    @Test
    void throttleAndErrorsAnswerTheFirstReadsOfTheTask() throws Exception {
        String taskId = upload(SAMPLE, "idx", new Hooks().metadata(Map.of("throttle", 1, "errors", 1)));
        api().get(TASKS + "/" + taskId)
                .then()
                .statusCode(429)
                .header("Retry-After", "1")
                .body("code", equalTo("too_many_requests"));
        api().get(TASKS + "/" + taskId).then().statusCode(500).body("code", equalTo("internal_server_error"));
        api().get(TASKS + "/" + taskId).then().statusCode(200).body("_id", equalTo(taskId));
    }

    @Test
    void slowTaskIsAnsweredNoSoonerThanAsked() throws Exception {
        String taskId = upload(SAMPLE, "idx", new Hooks().metadata(Map.of("slow", "1s")));
        api().get(TASKS + "/" + taskId).then().statusCode(200).time(greaterThanOrEqualTo(1000L));
    }

    @Test
    void switchesAreBoundedInTimeCountAndWhereTheyPost() {
        int tasks = simulator.all().size();
        String origin = Hooks.base();
        for (String switches : List.of(
                "{\"delay\": \"31s\"}",
                "{\"delay\": 3600}",
                "{\"slow\": \"PT1H\"}",
                "{\"slow\": -1}",
                "{\"throttle\": 101}",
                "{\"errors\": -1}",
                "{\"errors\": 1.5}",
                "{\"throttle\": \"many\"}",
                "{\"webhook_url\": \"http://example.com/hook\"}",
                "{\"webhook_url\": \"http://localhost:1/simulator/webhook\"}",
                "{\"webhook_url\": \"https://" + origin.substring("http://".length()) + "/hook\"}",
                "{\"webhook_url\": \"" + origin + "@example.com/hook\"}",
                "{\"webhook_url\": \"http://user@" + origin.substring("http://".length()) + "/hook\"}",
                "{\"webhook_url\": \"/simulator/webhook\"}")) {
            api().multiPart("index_id", "idx")
                    .multiPart("video_url", "http://localhost/v.mp4")
                    .multiPart("user_metadata", "{\"simulator\": " + switches + "}")
                    .post(TASKS)
                    .then()
                    .statusCode(400)
                    .body("code", equalTo("parameter_invalid"))
                    .body("message", org.hamcrest.Matchers.containsString("user_metadata.simulator"));
        }
        assertThat(simulator.all()).hasSize(tasks);
    }

    @Test
    void malformedSwitchesAreRefused() {
        api().multiPart("index_id", "idx")
                .multiPart("video_url", "http://localhost/v.mp4")
                .multiPart("user_metadata", "{\"simulator\": true}")
                .post(TASKS)
                .then()
                .statusCode(400)
                .body("code", equalTo("parameter_invalid"));
        api().multiPart("index_id", "idx")
                .multiPart("video_url", "http://localhost/v.mp4")
                .multiPart("user_metadata", "{\"simulator\": {\"delay\": \"soon\"}}")
                .post(TASKS)
                .then()
                .statusCode(400)
                .body("code", equalTo("parameter_invalid"));
    }
}
