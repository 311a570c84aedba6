package io.reelhook.simulator;

import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.webhook.RawHttp;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.reelhook.simulator.SimulatorTest.KEY;
import static io.reelhook.simulator.SimulatorTest.api;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulator's routes, on every spelling that reaches them, decide before any body byte is read: they do not
 * exist while the simulator is off, and need its key and a length within the limit. The suite runs with the
 * simulator on; the guard's switch turns it off here.
 */
@QuarkusTest
class SimulatorGuardTest {

    /** Spellings that the router takes to SimulatorResource's POST /tasks. */
    private static final List<String> SPELLINGS = List.of(
            "/simulator/v1.3/tasks",
            "/simulator;x/v1.3/tasks",
            "/simulator/v1.3;y=1/tasks",
            "/simulator/./v1.3/tasks",
            "/simulator/v1.3/x/../tasks",
            "/%73imulator/v1.3/tasks",
            "/simulator/v1%2E3/tasks");
    /** 4 MiB announced (within the test profile's limit), 20 bytes sent. */
    private static final String ANNOUNCED = Long.toString(4L * 1024 * 1024);

    @Inject
    SimulatorGuard guard;

    @Inject
    Simulator simulator;

    @Test
    void everySpellingReachesTheSimulatorWhileItIsOn() throws Exception {
        for (String target : SPELLINGS) {
            // with the key but no form: the resource itself answers, so the spelling reaches it
            try (RawHttp request = post(target, KEY, Integer.toString(FORM.length), FORM)) {
                RawHttp.Answer answer = request.answer();
                assertThat(answer.status()).as(target).isEqualTo(400);
                assertThat(answer.body()).as(target).contains("\"code\":\"parameter_not_provided\"");
            }
        }
    }

    @Test
    void whileOffEverySpellingIs404BeforeTheBodyIsRead() throws Exception {
        int tasks = simulator.all().size();
        guard.enable(false);
        try {
            for (String target : SPELLINGS) {
                try (RawHttp request = post(target, KEY, ANNOUNCED)) {
                    RawHttp.Answer answer = request.answer();
                    assertThat(answer.status()).as(target).isEqualTo(404);
                    assertThat(answer.body())
                            .as(target)
                            .contains("\"code\":\"resource_not_exist\"")
                            .contains("\"message\":");
                    assertThat(request.closedByServer()).as(target).isTrue();
                }
            }
            api().get(SimulatorConfig.BASE_PATH + "/tasks")
                    .then()
                    .statusCode(404)
                    .body("code", org.hamcrest.Matchers.equalTo("resource_not_exist"));
            api().get(SimulatorConfig.BASE_PATH + "/tasks/" + "0".repeat(24))
                    .then()
                    .statusCode(404)
                    .body("code", org.hamcrest.Matchers.equalTo("resource_not_exist"))
                    .body("message", org.hamcrest.Matchers.containsString("not the upstream"));
        } finally {
            guard.enable(true);
        }
        assertThat(simulator.all()).hasSize(tasks);
    }

    @Test
    void aMissingOrWrongKeyIsRefusedBeforeTheBodyIsRead() throws Exception {
        int tasks = simulator.all().size();
        for (String key : new String[] {null, "", "any-key", KEY + "x", "simulator"}) {
            try (RawHttp request = post("/simulator;k/v1.3/tasks", key, ANNOUNCED)) {
                RawHttp.Answer answer = request.answer();
                assertThat(answer.status()).as(key).isEqualTo(401);
                assertThat(answer.body())
                        .contains("\"code\":\"api_key_invalid\"")
                        .contains("\"message\":");
                assertThat(request.closedByServer()).isTrue();
            }
        }
        assertThat(simulator.all()).hasSize(tasks);
    }

    @Test
    void aLengthOverTheLimitIsRefusedBeforeTheBodyIsRead() throws Exception {
        int tasks = simulator.all().size();
        try (RawHttp request = post(SimulatorConfig.BASE_PATH + "/tasks", KEY, "2147483648")) {
            RawHttp.Answer answer = request.answer();
            // Quarkus' own max-body-size may answer first: at the same size, the guard's limit is no higher
            assertThat(answer.status()).isEqualTo(413);
        }
        assertThat(simulator.all()).hasSize(tasks);
    }

    /** A whole form, without index_id. */
    private static final byte[] FORM = "--b\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n1\r\n--b--\r\n"
            .getBytes(StandardCharsets.US_ASCII);

    private static RawHttp post(String target, String key, String length) throws Exception {
        return post(target, key, length, "--b\r\nContent-Disposition: ".getBytes(StandardCharsets.US_ASCII));
    }

    private static RawHttp post(String target, String key, String length, byte[] start) throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "multipart/form-data; boundary=b");
        headers.put("Content-Length", length);
        if (key != null) {
            headers.put("x-api-key", key);
        }
        return new RawHttp("localhost", RestAssured.port, "POST", target, headers, start);
    }
}
