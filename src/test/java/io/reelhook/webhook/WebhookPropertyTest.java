package io.reelhook.webhook;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.testing.EventRows;
import io.reelhook.testing.TaskRows;
import jakarta.inject.Inject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static net.jqwik.api.Tuple.of;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Arbitrary bytes and headers at the webhook route (jqwik's generators, sampled against the running service): never
 * a 500, every refusal a {code,message} body with no row stored, every acceptance the body stored as sent.
 */
@QuarkusTest
class WebhookPropertyTest {

    @Inject
    TaskRows taskRows;

    @Inject
    EventRows eventRows;

    private static final int CASES = 250;
    private static final List<String> TRICKY = List.of(
            "1e308",
            "-1e308",
            "1e-400",
            "1e999",
            "-0",
            "0.1",
            "123456789012345678901234567890",
            "1E40",
            "true",
            "null",
            "\"\\u0000\"",
            "\"\\ud800\"",
            "\"\\udfff\\ud800\"",
            "\"\\r\\nid: 9\"",
            "\"\\u2028\"",
            "\"é中🎬\"",
            "[]",
            "{}",
            "[[[[]]]]",
            "\"\"");

    @TestHTTPResource(Webhooks.PATH)
    URL url;

    record Case(Optional<String> signature, byte[] body, String contentType) {
        @Override
        public String toString() {
            return "signature=" + signature + " contentType=" + contentType + " body="
                    + new String(body, StandardCharsets.UTF_8);
        }
    }

    @Test
    void noInputMakesA500AndARefusalStoresNothing() throws Exception {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        List<Case> cases = cases().sampleStream().limit(CASES).toList();
        int accepted = 0;
        for (Case c : cases) {
            long events = eventRows.count();
            long tasks = taskRows.count();
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.toString()))
                    .timeout(Duration.ofSeconds(20))
                    .header("Content-Type", c.contentType())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(c.body()));
            c.signature().ifPresent(s -> request.header(SignatureHeader.NAME, s));
            HttpResponse<String> answer = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as("%s -> %s", c, answer.body()).isIn(200, 400, 401, 413);
            if (answer.statusCode() == 200) {
                accepted++;
                String text = new String(c.body(), StandardCharsets.UTF_8);
                String id = new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(text)
                        .path("id")
                        .asText();
                assertThat(eventRows.byNotification(id))
                        .as("%s", c)
                        .hasValueSatisfying(e -> assertThat(e.notification()).isEqualTo(text));
            } else {
                assertThat(answer.body()).as("%s", c).matches("(?s)\\{\"code\":\"[a-z_]+\",\"message\":\".*\"}");
                assertThat(eventRows.count()).as("%s", c).isEqualTo(events);
                assertThat(taskRows.count()).as("%s", c).isEqualTo(tasks);
            }
        }
        // the generators reach the store too, not only the refusals
        assertThat(accepted).isPositive();
    }

    private static Arbitrary<Case> cases() {
        Arbitrary<byte[]> randomBytes = Arbitraries.bytes().array(byte[].class).ofMaxSize(600);
        Arbitrary<byte[]> notifications = notification().map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> bodies = Arbitraries.frequencyOf(of(1, randomBytes), of(4, notifications));
        Arbitrary<String> contentType = Arbitraries.of(
                "application/json", "text/plain", "application/json; charset=x", "multipart/form-data; boundary=z", "");
        return Combinators.combine(
                        bodies,
                        contentType,
                        signatureKind(),
                        Arbitraries.longs().between(-400, 400))
                .as((body, type, kind, skew) -> new Case(
                        signature(kind, body, skew), body, type.isEmpty() ? "application/octet-stream" : type));
    }

    private static Arbitrary<Integer> signatureKind() {
        // mostly validly signed, so that the body itself is put to the test
        return Arbitraries.frequencyOf(
                of(6, Arbitraries.just(0)),
                of(1, Arbitraries.just(1)),
                of(1, Arbitraries.just(2)),
                of(1, Arbitraries.just(3)));
    }

    private static Optional<String> signature(int kind, byte[] body, long skew) {
        long now = Instant.now().getEpochSecond();
        return switch (kind) {
            case 0 -> Optional.of("t=" + now + ",v1=" + new WebhookSigner(List.of(Webhooks.SECRET)).sign(now, body));
            case 1 -> Optional.empty();
            case 2 ->
                Optional.of(Arbitraries.strings()
                        .withCharRange((char) 0x21, (char) 0x7e)
                        .ofMaxLength(120)
                        .sample());
            default ->
                Optional.of("t=" + (now + skew * 2) + ",v1="
                        + Arbitraries.strings()
                                .withChars("0123456789abcdef")
                                .ofLength(64)
                                .sample());
        };
    }

    /** Notification-shaped JSON with arbitrary values where Twelve Labs puts its own. */
    private static Arbitrary<String> notification() {
        Arbitrary<String> value = Arbitraries.frequencyOf(
                of(3, string()),
                of(2, Arbitraries.of(TRICKY)),
                of(1, Arbitraries.doubles().map(String::valueOf)),
                of(1, Arbitraries.longs().map(String::valueOf)));
        Arbitrary<String> type = Arbitraries.frequencyOf(
                of(4, Arbitraries.of("\"index.task.ready\"", "\"index.task.failed\"", "\"analyze.task.ready\"")),
                of(1, value));
        Arbitrary<String> status = Arbitraries.frequencyOf(
                of(4, Arbitraries.of("\"ready\"", "\"failed\"", "\"indexing\"", "null")), of(1, value));
        Arbitrary<String> taskId = Arbitraries.frequencyOf(
                of(4, Arbitraries.just("").map(x -> "\"task_" + UUID.randomUUID() + "\"")), of(1, value));
        Arbitrary<String> metadata =
                Combinators.combine(value, value).as((a, b) -> "{\"duration\":" + a + ",\"x\":" + b + "}");
        Arbitrary<String> extra = Combinators.combine(string(), value).as((k, v) -> "," + k + ":" + v);
        return Combinators.combine(type, status, taskId, metadata, extra, Arbitraries.of("", " ", "\n", " x", "}"))
                .as((t, s, id, m, e, tail) -> "{\"id\":\"whe_" + UUID.randomUUID() + "\",\"type\":" + t
                        + ",\"data\":{\"id\":" + id + ",\"status\":" + s + ",\"metadata\":" + m + "}" + e + "}" + tail);
    }

    /** A JSON string of arbitrary characters, escaped at random ways (raw, \\u escapes, lone surrogates). */
    private static Arbitrary<String> string() {
        return Arbitraries.strings().all().ofMaxLength(40).map(WebhookPropertyTest::quote);
    }

    private static String quote(String s) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20 || Character.isSurrogate(c) || c % 7 == 0) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }
}
