package io.reelhook.api;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.testing.Api;
import io.reelhook.testing.TwelveLabsResource;
import io.reelhook.webhook.RawHttp;
import io.restassured.RestAssured;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class JsonBodyGuardTest {

    @ConfigProperty(name = TwelveLabsResource.PORT)
    int wiremockPort;

    @Test
    void aJsonBodyOverOneMebibyteIsRefusedBeforeItIsReadAndNothingGoesUpstream() throws Exception {
        WireMock twelveLabs = new WireMock("localhost", wiremockPort);
        twelveLabs.resetRequests();
        // only the head is sent: the refusal comes before the body is read, and closes the connection
        for (String[] route :
                new String[][] {{"/v1.3/assets/multipart-uploads", Api.KEY}, {"/api/v1/subscriptions", Api.ADMIN_KEY}
                }) {
            try (RawHttp request = new RawHttp(
                    "localhost",
                    RestAssured.port,
                    "POST",
                    route[0],
                    Map.of(
                            "x-api-key",
                            route[1],
                            "Content-Type",
                            "application/json",
                            "Content-Length",
                            Long.toString(JsonBodyGuard.MAX_JSON + 1)),
                    "{\"filename\":\"".getBytes(StandardCharsets.UTF_8))) {
                RawHttp.Answer answer = request.answer();
                assertThat(answer.status()).isEqualTo(413);
                assertThat(answer.body()).contains("request_too_large");
            }
        }
        assertThat(twelveLabs.find(anyRequestedFor(anyUrl()))).isEmpty();
    }

    @Test
    void aJsonBodyWithinTheLimitIsReadAsUsual() {
        Api.given()
                .contentType("application/json")
                .body("{\"filename\":\"a.mp4\",\"type\":\"video\",\"total_size\":0}")
                .post("/v1.3/assets/multipart-uploads")
                .then()
                .statusCode(400)
                .body("code", equalTo("parameter_invalid"));
    }
}
