package io.reelhook.webhook;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.task.Task;
import io.reelhook.task.TaskEvent;
import io.reelhook.task.TaskLedger;
import io.reelhook.testing.Api;
import io.reelhook.testing.EventRows;
import io.reelhook.testing.PostgresResource;
import io.reelhook.testing.TaskRows;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.reelhook.webhook.Webhooks.notification;
import static io.reelhook.webhook.Webhooks.post;
import static io.reelhook.webhook.Webhooks.signature;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

@QuarkusTest
class WebhookResourceTest {

    @Inject
    TaskRows taskRows;

    @Inject
    EventRows eventRows;

    @Inject
    TaskLedger ledger;

    @Inject
    MeterRegistry registry;

    @TestHTTPResource(Webhooks.PATH)
    URL url;

    @Test
    void storesASignedNotificationWholeAndCreatesTheUnknownTask() {
        String id = "whe_" + UUID.randomUUID();
        String taskId = "task_" + UUID.randomUUID();
        String body = notification(id, taskId, "index.task.ready", "ready");
        post(body).statusCode(200).body("duplicate", equalTo(false));

        TaskEvent event = eventRows.byNotification(id).orElseThrow();
        assertThat(event.taskId()).isEqualTo(taskId);
        assertThat(event.type()).isEqualTo("index.task.ready");
        assertThat(event.status()).isEqualTo("ready");
        assertThat(event.source()).isEqualTo("webhook");
        assertThat(event.applied()).isTrue();
        assertThat(event.completes()).isTrue();
        assertThat(event.occurredAt().toInstant()).isEqualTo(Instant.parse("2026-01-02T03:04:05Z"));
        assertThat(event.metadata()).containsEntry("duration", 30).containsKeys("models", "tags");
        assertThat(event.notification()).isEqualTo(body);
        assertThat(task(taskId).status).isEqualTo("ready");
    }

    @Test
    void refusesWhatIsNotSignedByAConfiguredSecretAndStoresNothing() throws Exception {
        String id = "whe_" + UUID.randomUUID();
        String body = notification(id, "task_" + UUID.randomUUID(), "index.task.ready", "ready");
        long now = Instant.now().getEpochSecond();
        String valid = signature(body);
        String hex = valid.substring(valid.indexOf("v1=") + 3);

        refused(post(body.replace("ready", "failed"), valid), 401, "signature_invalid");
        assertThat(send(body + "\n", valid).statusCode()).isEqualTo(401);
        refused(post(body, "t=" + (now - 1) + ",v1=" + hex), 401, "signature_invalid");
        refused(post(body, signature("whsec_wrong", now, body)), 401, "signature_invalid");
        refused(
                given().contentType("application/json")
                        .body(body)
                        .post(Webhooks.PATH)
                        .then(),
                401,
                "signature_invalid");
        refused(post(body, "v1=" + hex), 401, "signature_invalid");
        refused(post(body, "t=" + now + ",v1=" + hex.substring(2)), 401, "signature_invalid");
        refused(post(body, "t=" + now + ";v1=" + hex), 401, "signature_invalid");
        refused(post(body, signature(Webhooks.SECRET, now - 310, body)), 401, "signature_expired");
        refused(post(body, signature(Webhooks.SECRET, now + 310, body)), 401, "signature_expired");
        assertThat(eventRows.countOfNotification(id)).isZero();

        post(body, signature(Webhooks.SECRET, now - 290, body)).statusCode(200);
    }

    @Test
    void acceptsThePreviousSecretAndAnyMatchingSignaturePartDuringARotation() {
        String first =
                notification("whe_" + UUID.randomUUID(), "task_" + UUID.randomUUID(), "index.task.ready", "ready");
        post(first, signature(Webhooks.PREVIOUS_SECRET, Instant.now().getEpochSecond(), first))
                .statusCode(200);

        String second =
                notification("whe_" + UUID.randomUUID(), "task_" + UUID.randomUUID(), "index.task.ready", "ready");
        long now = Instant.now().getEpochSecond();
        String wrong = signature("whsec_retired", now, second);
        String right = signature(Webhooks.SECRET, now, second);
        post(second, wrong + "," + right.substring(right.indexOf("v1="))).statusCode(200);
    }

    @Test
    void answersOtherMethodsWithMethodNotAllowed() {
        given().when()
                .get(Webhooks.PATH)
                .then()
                .statusCode(405)
                .header("Allow", "POST")
                .body("code", equalTo("method_not_allowed"));
    }

    @Test
    void refusesASignedBodyThatIsNotANotificationAndStoresNothing() {
        String taskId = "task_" + UUID.randomUUID();
        for (String body : List.of(
                "not json",
                "[1,2]",
                "null",
                "{\"type\":\"index.task.ready\",\"data\":{\"id\":\"" + taskId + "\"}}",
                "{\"id\":\"whe_" + taskId + "\",\"data\":{\"id\":\"" + taskId + "\"}}",
                "{\"id\":\"whe_" + taskId + "\",\"type\":\"index.task.ready\",\"data\":{}}",
                "{\"id\":\"whe_" + taskId + "\",\"type\":\"index.task.ready\",\"data\":\"" + taskId + "\"}")) {
            refused(post(body), 400, "parameter_invalid");
        }
        assertThat(eventRows.countOfNotification("whe_" + taskId)).isZero();
        assertThat(task(taskId)).isNull();
    }

    @Test
    void refusesABodyAboveOneMebibyteBeforeReadingIt() throws Exception {
        // only the headers and one byte of the announced body are ever sent
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + Webhooks.PATH + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                            + SignatureHeader.NAME + ": " + signature("{}") + "\r\n"
                            + "Content-Length: " + (WebhookResource.MAX_BODY + 1) + "\r\n\r\n{")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String status = new BufferedReader(
                            new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertThat(status).startsWith("HTTP/1.1 413");
        }
    }

    @Test
    void capsABodyOfUnknownLengthAtOneMebibyte() throws Exception {
        String id = "whe_" + UUID.randomUUID();
        String exact = padded(
                notification(id, "task_" + UUID.randomUUID(), "index.task.ready", "ready"), WebhookResource.MAX_BODY);
        assertThat(chunked(exact + " ").statusCode()).isEqualTo(413);
        assertThat(eventRows.countOfNotification(id)).isZero();
        HttpResponse<String> accepted = chunked(exact);
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
    }

    @Test
    void acceptsADeliveryOverHttp2AndIsDocumented() throws Exception {
        String id = "whe_" + UUID.randomUUID();
        String body = notification(id, "task_" + UUID.randomUUID(), "index.task.ready", "ready");
        // cleartext HTTP/2 by upgrade, as java.net.http (the simulator's client) makes it
        HttpResponse<String> answer =
                send(HttpClient.Version.HTTP_2, HttpRequest.BodyPublishers.ofString(body), signature(body));
        assertThat(answer.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(eventRows.countOfNotification(id)).isEqualTo(1);
        given().get("/q/openapi").then().statusCode(200).body(containsString(Webhooks.PATH + ":"));
    }

    @Test
    void aRedeliveryAnswers200AndAddsNothing() {
        String id = "whe_" + UUID.randomUUID();
        String body = notification(id, "task_" + UUID.randomUUID(), "index.task.ready", "ready");
        post(body).statusCode(200).body("duplicate", equalTo(false));
        post(body).statusCode(200).body("duplicate", equalTo(true));
        assertThat(eventRows.countOfNotification(id)).isEqualTo(1);
    }

    @Test
    void concurrentRedeliveriesStoreExactlyOneEvent() throws Exception {
        String id = "whe_" + UUID.randomUUID();
        String taskId = "task_" + UUID.randomUUID();
        String body = notification(id, taskId, "index.task.ready", "ready");
        List<Callable<Boolean>> deliveries = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            deliveries.add(() -> post(body).statusCode(200).extract().jsonPath().getBoolean("duplicate"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Boolean> duplicates = new ArrayList<>();
            for (Future<Boolean> answer : pool.invokeAll(deliveries)) {
                duplicates.add(answer.get());
            }
            assertThat(duplicates).containsOnlyOnce(false);
        } finally {
            pool.shutdownNow();
        }
        assertThat(eventRows.countOfNotification(id)).isEqualTo(1);
        assertThat(eventRows.countOfTask(taskId)).isEqualTo(1);
    }

    @Test
    void anUploadedTaskMovesToReadyAndKeepsItsVideoId() {
        String taskId = "task_" + UUID.randomUUID();
        Task task = new Task();
        task.id = taskId;
        task.indexId = "index_1";
        task.videoId = "video_1";
        ledger.recordUpload(task);

        post(notification("whe_" + UUID.randomUUID(), taskId, "index.task.ready", "ready"))
                .statusCode(200);

        Task stored = task(taskId);
        assertThat(stored.status).isEqualTo("ready");
        assertThat(stored.videoId).isEqualTo("video_1");
        assertThat(stored.indexId).isEqualTo("index_1");
        List<TaskEvent> events = eventRows.ofTask(taskId);
        assertThat(events).extracting(e -> e.previousStatus()).containsExactly(null, "validating");
        assertThat(events.get(1).videoId()).isEqualTo("video_1");
        Api.given()
                .get("/v1.3/tasks/" + taskId)
                .then()
                .statusCode(200)
                .body("status", equalTo("ready"))
                .body("video_id", equalTo("video_1"));
    }

    @Test
    void analyzeNotificationsAreStoredAsEventsWithTheStatusOfTheirType() {
        String id = "whe_" + UUID.randomUUID();
        String taskId = "task_" + UUID.randomUUID();
        post(notification(id, taskId, "analyze.task.failed", null)).statusCode(200);
        TaskEvent event = eventRows.byNotification(id).orElseThrow();
        assertThat(event.type()).isEqualTo("analyze.task.failed");
        assertThat(event.status()).isEqualTo("failed");
        assertThat(task(taskId).status).isEqualTo("failed");
    }

    @Test
    void countsDeliveriesByOutcome() {
        String body =
                notification("whe_" + UUID.randomUUID(), "task_" + UUID.randomUUID(), "index.task.ready", "ready");
        Map<String, Double> before = outcomes();
        assertThat(before).containsKeys("accepted", "duplicate", "bad_signature", "stale", "bad_request");
        post(body, "garbage").statusCode(401);
        post(body.replace("ready", "failed"), signature(body)).statusCode(401);
        post(body).statusCode(200);
        post(body).statusCode(200);
        post(body).statusCode(200);
        post("[]").statusCode(400);
        Map<String, Double> after = outcomes();
        // other tests' deliveries are over by now: each outcome moved by exactly what this test sent
        assertThat(after.get("bad_signature") - before.get("bad_signature")).isEqualTo(2.0);
        assertThat(after.get("accepted") - before.get("accepted")).isEqualTo(1.0);
        assertThat(after.get("duplicate") - before.get("duplicate")).isEqualTo(2.0);
        assertThat(after.get("bad_request") - before.get("bad_request")).isEqualTo(1.0);
        assertThat(after.get("stale") - before.get("stale")).isZero();
        assertThat(after.get("db_unavailable") - before.get("db_unavailable")).isZero();
    }

    /** The reelhook.webhooks counters by outcome (the registry that /q/metrics exports). */
    private Map<String, Double> outcomes() {
        Map<String, Double> counts = new java.util.HashMap<>();
        for (Outcome outcome : Outcome.values()) {
            counts.put(
                    outcome.tag(),
                    registry.get("reelhook.webhooks")
                            .tag("outcome", outcome.tag())
                            .counter()
                            .count());
        }
        return counts;
    }

    @Test
    void answers503ToEveryWaiterWhileTheDatabaseIsDownAndTheRedeliveriesSucceed() throws Exception {
        List<String> ids = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            ids.add("whe_" + UUID.randomUUID());
            bodies.add(notification(ids.get(i), "task_" + UUID.randomUUID(), "index.task.ready", "ready"));
        }
        List<Callable<Integer>> deliveries = bodies.stream()
                .<Callable<Integer>>map(b -> () -> post(b).extract().statusCode())
                .toList();
        String body = bodies.get(0);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        PostgresResource.halt();
        try {
            refused(post(body), 503, "database_unavailable").header("Retry-After", "10");
            // concurrent deliveries share the writers' batches: every one of them is refused, none half-stored
            for (Future<Integer> answer : pool.invokeAll(deliveries)) {
                assertThat(answer.get()).isEqualTo(503);
            }
        } finally {
            PostgresResource.restart();
        }
        try {
            await().atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> post(body).statusCode(200));
            for (Future<Integer> answer : pool.invokeAll(deliveries)) {
                assertThat(answer.get()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
        for (String id : ids) {
            assertThat(eventRows.countOfNotification(id)).isEqualTo(1);
        }
    }

    private static io.restassured.response.ValidatableResponse refused(
            io.restassured.response.ValidatableResponse response, int status, String code) {
        return response.statusCode(status)
                .body("code", equalTo(code))
                .body("message", org.hamcrest.Matchers.notNullValue());
    }

    /** Pads a JSON object with whitespace to exactly {@code size} bytes. */
    private static String padded(String json, int size) {
        return json.substring(0, json.length() - 1) + " ".repeat(size - json.length()) + "}";
    }

    /** Without a Content-Length: the body is streamed in chunks. */
    private HttpResponse<String> chunked(String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return send(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)), signature(body));
    }

    /** Exactly these bytes, whatever RestAssured would make of them. */
    private HttpResponse<String> send(String body, String signature) throws Exception {
        return send(HttpRequest.BodyPublishers.ofString(body), signature);
    }

    private HttpResponse<String> send(HttpRequest.BodyPublisher body, String signature) throws Exception {
        return send(HttpClient.Version.HTTP_1_1, body, signature);
    }

    private HttpResponse<String> send(HttpClient.Version version, HttpRequest.BodyPublisher body, String signature)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url.toString()))
                .header("Content-Type", "application/json")
                .header(SignatureHeader.NAME, signature)
                .POST(body)
                .build();
        return HttpClient.newBuilder().version(version).build().send(request, HttpResponse.BodyHandlers.ofString());
    }

    Task task(String taskId) {
        return taskRows.find(taskId);
    }
}
