package io.reelhook.subscriptions;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;

/** One signed POST to a subscriber; follows no redirects and waits at most the timeout. */
final class Sender {

    static final String USER_AGENT = "Reelhook-Webhooks/1.0";

    private final HttpClient client;
    private final Duration timeout;

    Sender(Duration timeout, Executor executor) {
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .executor(executor)
                .build();
    }

    Attempt send(URI url, String webhookId, String json, List<String> secrets) {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        Instant at = Instant.now();
        long timestamp = at.getEpochSecond();
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("content-type", "application/json")
                .header("user-agent", USER_AGENT)
                .header("webhook-id", webhookId)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", Signer.header(secrets, webhookId, timestamp, body))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
        long start = System.nanoTime();
        try {
            HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
            // the answer's body is not needed: closing unread ends it, so an endless body cannot hold a worker
            response.body().close();
            int status = response.statusCode();
            Duration retryAfter = status == 429 || status == 503
                    ? RetryPolicy.retryAfter(
                            response.headers().firstValue("retry-after").orElse(null), at)
                    : null;
            return new Attempt(at, status, millis(start), status / 100 == 2 ? null : "HTTP " + status, retryAfter);
        } catch (HttpTimeoutException e) {
            return new Attempt(at, null, millis(start), "no answer within " + timeout.toSeconds() + "s", null);
        } catch (IOException e) {
            return new Attempt(
                    at,
                    null,
                    millis(start),
                    e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()),
                    null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(at, null, millis(start), "interrupted while this instance stopped", null);
        }
    }

    private static long millis(long start) {
        return (System.nanoTime() - start) / 1_000_000;
    }
}
