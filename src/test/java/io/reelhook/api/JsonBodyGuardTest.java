package io.reelhook.api;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.testing.Api;
import io.reelhook.testing.TwelveLabsResource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class JsonBodyGuardTest {

    @ConfigProperty(name = TwelveLabsResource.PORT)
    int wiremockPort;

    @Test
    void aJsonBodyOverOneMebibyteIsRefusedBeforeItIsReadAndNothingGoesUpstream() {
        WireMock twelveLabs = new WireMock("localhost", wiremockPort);
        twelveLabs.resetRequests();
        byte[] body = ("{\"filename\":\"" + "x".repeat((int) JsonBodyGuard.MAX_JSON) + "\"}")
                .getBytes(StandardCharsets.UTF_8);

        Api.given()
                .contentType("application/json")
                .body(body)
                .post("/v1.3/assets/multipart-uploads")
                .then()
                .statusCode(413)
                .body("code", equalTo("request_too_large"));
        Api.admin()
                .contentType("application/json")
                .body(body)
                .post("/api/v1/subscriptions")
                .then()
                .statusCode(413)
                .body("code", equalTo("request_too_large"));

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
