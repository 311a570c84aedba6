package io.reelhook.webhook;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.task.TaskEvent;
import io.reelhook.testing.EventRows;
import io.reelhook.testing.TaskRows;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.reelhook.webhook.Webhooks.notification;
import static io.reelhook.webhook.Webhooks.post;
import static io.reelhook.webhook.Webhooks.signature;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

/** What a hostile sender can try at the webhook route: each refusal answers {code,message} and stores nothing. */
@QuarkusTest
class WebhookHardeningTest {

    @Inject
    TaskRows taskRows;

    @Inject
    EventRows eventRows;

    /** What the receiver accepts at once (reelhook.webhook.max-in-flight). */
    private static final int MAX_IN_FLIGHT = 64;

    @TestHTTPResource(Webhooks.PATH)
    URL url;

    /** Rows of both tables, counted before a request and compared after it. */
    record Rows(long events, long tasks) {}

    private Rows rows() {
        return new Rows(eventRows.count(), taskRows.count());
    }

    @Test
    void aWebhookSignedWithTheFormerSimulatorConstantIsRefused() {
        String body = notification(
                "whe_" + UUID.randomUUID(), "forged-task-" + UUID.randomUUID(), "index.task.ready", "failed");
        Rows before = rows();
        refused(
                post(body, signature("whsec_reelhook_simulator", Instant.now().getEpochSecond(), body)),
                401,
                "signature_invalid");
        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void aMissingOrMalformedSignatureIsRefusedBeforeTheBodyIsRead() throws Exception {
        String valid = signature("{}");
        for (String header : new String[] {
            null,
            "",
            "garbage",
            "t=1",
            "v1=" + "0".repeat(64),
            "t=abc,v1=" + "0".repeat(64),
            valid.replace("v1=", "v1=x")
        }) {
            Map<String, String> headers = new java.util.LinkedHashMap<>(
                    Map.of("Content-Type", "application/json", "Content-Length", "100000"));
            if (header != null) {
                headers.put(SignatureHeader.NAME, header);
            }
            Rows before = rows();
            // 10 of the 100000 bytes announced: an answer now means the rest was never waited for
            try (RawHttp request = new RawHttp(url, headers, "{\"id\":\"wh".getBytes(StandardCharsets.US_ASCII))) {
                RawHttp.Answer answer = request.answer();
                assertThat(answer.status()).as(header).isEqualTo(401);
                assertThat(answer.body())
                        .contains("\"code\":\"signature_invalid\"")
                        .contains("\"message\":");
                assertThat(answer.headers()).containsEntry("connection", "close");
                assertThat(request.closedByServer()).isTrue();
            }
            assertThat(rows()).isEqualTo(before);
        }
    }

    @Test
    void aStaleTimestampIsRefusedBeforeTheBodyIsRead() throws Exception {
        long stale = Instant.now().getEpochSecond() - 3600;
        Rows before = rows();
        try (RawHttp request = new RawHttp(
                url,
                Map.of(
                        "Content-Type",
                        "application/json",
                        "Content-Length",
                        "5000",
                        SignatureHeader.NAME,
                        signature(Webhooks.SECRET, stale, "{}")),
                new byte[] {'{'})) {
            RawHttp.Answer answer = request.answer();
            assertThat(answer.status()).isEqualTo(401);
            assertThat(answer.body()).contains("\"code\":\"signature_expired\"").contains("\"message\":");
        }
        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void bodiesBeingReadAtOnceAreBoundedAndTheirPlacesComeBack() throws Exception {
        List<RawHttp> stalled = new ArrayList<>();
        try {
            stalled.addAll(stall(MAX_IN_FLIGHT));
            String body =
                    notification("whe_" + UUID.randomUUID(), "task_" + UUID.randomUUID(), "index.task.ready", "ready");
            Rows before = rows();
            // the stalled requests are admitted on the event loops, maybe after this one: asking again settles it
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() ->
                            refused(post(body), 503, "server_busy").header("Retry-After", not(emptyOrNullString())));
            assertThat(rows()).isEqualTo(before);
        } finally {
            for (RawHttp request : stalled) {
                request.close();
            }
        }
        // every place is given back when its client goes away: all but one taken again, and one delivery passes
        stalled.clear();
        try {
            stalled.addAll(stall(MAX_IN_FLIGHT - 1));
            String body =
                    notification("whe_" + UUID.randomUUID(), "task_" + UUID.randomUUID(), "index.task.ready", "ready");
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> post(body).statusCode(200));
        } finally {
            for (RawHttp request : stalled) {
                request.close();
            }
        }
    }

    /** Requests that announce 1000 bytes and send one, each holding a place while it is read. */
    private List<RawHttp> stall(int count) throws Exception {
        List<RawHttp> requests = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            requests.add(new RawHttp(
                    url,
                    Map.of(
                            "Content-Type",
                            "application/json",
                            "Content-Length",
                            "1000",
                            SignatureHeader.NAME,
                            signature("{}")),
                    new byte[] {'{'}));
        }
        return requests;
    }

    @Test
    void aTypeThatIsNotATwelveLabsEventTypeIsRefused() {
        for (String type : List.of(
                "index.task.ready\\r\\nid: 999\\r\\ndata: injected",
                "INDEX.TASK.READY",
                "ready",
                "index..ready",
                "index.task.ready ",
                "index.task." + "x".repeat(200),
                "index.task.r\\u0000")) {
            String body = notification("whe_" + UUID.randomUUID(), "task_" + UUID.randomUUID(), type, "ready");
            Rows before = rows();
            refused(post(body), 400, "parameter_invalid");
            assertThat(rows()).as(type).isEqualTo(before);
        }
    }

    @Test
    void aStatusThatTwelveLabsDoesNotHaveIsRefused() {
        for (String status : List.of("\"done\"", "\"READY\"", "\" ready\"", "5", "true", "{}")) {
            String body = notification(
                            "whe_" + UUID.randomUUID(), "task_" + UUID.randomUUID(), "index.task.ready", "ready")
                    .replace("\"status\":\"ready\"", "\"status\":" + status);
            Rows before = rows();
            refused(post(body), 400, "parameter_invalid");
            assertThat(rows()).as(status).isEqualTo(before);
        }
    }

    @Test
    void whatPostgresqlWouldRefuseOrBlowUpIsRefusedWithNothingStored() throws Exception {
        String base =
                notification("whe_" + UUID.randomUUID(), "task_" + UUID.randomUUID(), "index.task.ready", "ready");
        List<String> bodies = List.of(
                base.replace("\"t1\"", "\"t\\u0000\""),
                base.replace("\"kept\":true", "\"ke\\u0000pt\":true"),
                base.replace("\"kept\":true", "\"kept\":\"\\ud800\""),
                base.replace("\"kept\":true", "\"kept\":\"\\udc00\\ud800\""),
                base.replace("\"duration\":30", "\"duration\":1e308"),
                base.replace("\"duration\":30", "\"duration\":1e-300"),
                base.replace("\"duration\":30", "\"duration\":1e999"),
                base.replaceFirst("\"id\":\"whe_[^\"]+\"", "\"id\":\"" + "w".repeat(300) + "\""),
                base.replaceFirst("\"data\":\\{\"id\":\"[^\"]+\"", "\"data\":{\"id\":\"" + "t".repeat(300) + "\""),
                base + " {}");
        for (String body : bodies) {
            Rows before = rows();
            refused(post(body), 400, "parameter_invalid");
            assertThat(rows()).as(body).isEqualTo(before);
        }
        // bytes that are not UTF-8, signed as they are
        byte[] invalid = base.replace("\"t1\"", "\"t?\"").getBytes(StandardCharsets.UTF_8);
        invalid[new String(invalid, StandardCharsets.ISO_8859_1).indexOf("t?") + 1] = (byte) 0xC3;
        Rows before = rows();
        HttpResponse<String> answer = send(invalid);
        assertThat(answer.statusCode()).isEqualTo(400);
        assertThat(answer.body()).contains("\"code\":\"parameter_invalid\"").contains("UTF-8");
        assertThat(rows()).isEqualTo(before);
    }

    @Test
    void theNotificationIsStoredByteForByte() throws Exception {
        String id = "whe_" + UUID.randomUUID();
        String taskId = "task_" + UUID.randomUUID();
        String body = "{ \"type\" : \"index.task.ready\",\n  \"id\":\"" + id + "\", \"huge\": 1e308, \"tiny\": 1E-400,"
                + " \"text\": \"caf\\u00e9 \u00e9\u4e2d\ud83c\udfac\", \"z\":1, \"a\":2, \"a\":3,\n"
                + "  \"data\": {\"id\": \"" + taskId
                + "\", \"status\": \"ready\", \"metadata\": {\"duration\": 12.50}}}\n";
        HttpResponse<String> answer = send(body.getBytes(StandardCharsets.UTF_8));
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        TaskEvent event = eventRows.byNotification(id).orElseThrow();
        assertThat(event.notification()).isEqualTo(body);
        assertThat(HexFormat.of().formatHex(event.notification().getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(HexFormat.of().formatHex(body.getBytes(StandardCharsets.UTF_8)));
        assertThat(event.metadata()).containsEntry("duration", 12.5);
    }

    /** These exact bytes, signed with the test profile's secret. */
    private HttpResponse<String> send(byte[] body) throws Exception {
        long t = Instant.now().getEpochSecond();
        String header = "t=" + t + ",v1=" + new WebhookSigner(List.of(Webhooks.SECRET)).sign(t, body);
        return HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url.toString()))
                                .header("Content-Type", "application/json")
                                .header(SignatureHeader.NAME, header)
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
    }

    private static ValidatableResponse refused(ValidatableResponse response, int status, String code) {
        return response.statusCode(status).body("code", equalTo(code)).body("message", not(emptyOrNullString()));
    }
}
