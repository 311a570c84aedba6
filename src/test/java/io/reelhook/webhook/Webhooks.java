package io.reelhook.webhook;

import io.restassured.response.ValidatableResponse;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static io.restassured.RestAssured.given;

/** Signed deliveries as Twelve Labs makes them, with the test profile's secrets. */
final class Webhooks {

    static final String PATH = "/webhooks/twelvelabs";
    static final String SECRET = "whsec_test";
    static final String PREVIOUS_SECRET = "whsec_previous";

    private Webhooks() {}

    static String notification(String id, String taskId, String type, String status) {
        return """
                {"id":"%s","created_at":"2026-01-02T03:04:05Z","type":"%s","data":{"id":"%s","metadata":{"duration":30},\
                "status":%s,"models":[{"name":"marengo"}],"tags":["t1"]},"unknown_field":{"kept":true}}""".formatted(id, type, taskId, status == null ? "null" : "\"" + status + "\"");
    }

    static String signature(String secret, long t, String body) {
        return "t=" + t + ",v1=" + new WebhookSigner(List.of(secret)).sign(t, body.getBytes(StandardCharsets.UTF_8));
    }

    static String signature(String body) {
        return signature(SECRET, Instant.now().getEpochSecond(), body);
    }

    static ValidatableResponse post(String body, String signature) {
        return given().contentType("application/json")
                .header(SignatureHeader.NAME, signature)
                .body(body)
                .post(PATH)
                .then();
    }

    static ValidatableResponse post(String body) {
        return post(body, signature(body));
    }
}
