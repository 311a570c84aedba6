package io.reelhook.subscriptions;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Signed POSTs to subscribers, without a thread waiting for any of them (Vert.x): the host is resolved once and
 * checked ({@link UrlGuard}), and the request connects to that address (the URL's host still names it in the
 * {@code Host} header and for TLS). No redirects are followed. The whole exchange, resolution included, gets at most
 * the timeout; the answer's body is read and dropped within it, so that the connection can be used again.
 */
final class Sender implements AutoCloseable {

    static final String USER_AGENT = "Reelhook-Webhooks/1.0";

    /**
     * Connections per endpoint address: above what the dispatcher allows in flight to one subscription, since the
     * subscriptions to one host share its pool.
     */
    private static final int POOL = 1024;

    private final Vertx vertx;
    private final HttpClient client;
    private final Duration timeout;
    private final boolean allowPrivate;
    private final UrlGuard.Resolver resolver;
    // resolution may block: on threads of its own, so that a host whose DNS hangs holds only its own requests
    private final ExecutorService resolving = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "reelhook-webhooks-resolve");
        t.setDaemon(true);
        return t;
    });

    Sender(Vertx vertx, Duration timeout, boolean allowPrivate, UrlGuard.Resolver resolver) {
        this.vertx = vertx;
        this.timeout = timeout;
        this.allowPrivate = allowPrivate;
        this.resolver = resolver;
        this.client = vertx.createHttpClient(
                new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_1_1).setConnectTimeout((int)
                        timeout.toMillis()),
                new PoolOptions().setHttp1MaxSize(POOL));
    }

    /** Completes (never exceptionally) with the attempt's outcome, at the latest after the timeout. */
    CompletableFuture<Attempt> send(String url, String webhookId, byte[] body, List<String> secrets) {
        Exchange exchange = new Exchange();
        resolving.execute(() -> {
            try {
                exchange.post(UrlGuard.resolve(url, allowPrivate, resolver), webhookId, body, secrets);
            } catch (UrlGuard.Refused refused) {
                exchange.end();
                exchange.fail("refused: " + refused.getMessage());
            } catch (RuntimeException e) {
                exchange.end();
                exchange.fail(describe(e));
            }
        });
        return exchange.done;
    }

    @Override
    public void close() {
        resolving.shutdownNow();
        client.close();
    }

    /** One attempt: its clock, its outcome, and the request to cut when the time is up. */
    private final class Exchange {
        final Instant at = Instant.now();
        final long start = System.nanoTime();
        final CompletableFuture<Attempt> done = new CompletableFuture<>();
        final AtomicReference<HttpClientRequest> request = new AtomicReference<>();
        final AtomicBoolean ended = new AtomicBoolean();
        final long timer = vertx.setTimer(timeout.toMillis(), fired -> {
            fail("no answer within " + timeout.toSeconds() + "s");
            // an answer whose body goes on and on: its connection is closed
            HttpClientRequest cut = request.get();
            if (cut != null && !ended.get()) {
                cut.reset();
            }
        });

        void post(UrlGuard.Target target, String webhookId, byte[] body, List<String> secrets) {
            long timestamp = at.getEpochSecond();
            RequestOptions options = new RequestOptions()
                    .setMethod(HttpMethod.POST)
                    .setServer(SocketAddress.inetSocketAddress(
                            target.port(), target.address().getHostAddress()))
                    .setHost(target.uri().getHost())
                    .setPort(target.port())
                    .setSsl(target.https())
                    .setURI(target.path())
                    .setFollowRedirects(false)
                    .setConnectTimeout(timeout.toMillis())
                    .putHeader("content-type", "application/json")
                    .putHeader("user-agent", USER_AGENT)
                    .putHeader("webhook-id", webhookId)
                    .putHeader("webhook-timestamp", Long.toString(timestamp))
                    .putHeader("webhook-signature", Signer.header(secrets, webhookId, timestamp, body));
            client.request(options)
                    .compose(sent -> {
                        request.set(sent);
                        return sent.send(Buffer.buffer(body));
                    })
                    .onSuccess(this::answered)
                    .onFailure(e -> {
                        end();
                        fail(describe(e));
                    });
        }

        private void answered(HttpClientResponse response) {
            int status = response.statusCode();
            Duration retryAfter = status == 429 || status == 503
                    ? RetryPolicy.retryAfter(response.getHeader("retry-after"), at)
                    : null;
            done.complete(new Attempt(at, status, millis(), status / 100 == 2 ? null : "HTTP " + status, retryAfter));
            // the body is dropped as it comes; this may run after it has ended already, which end() tells as well
            response.end().onComplete(ignored -> end());
        }

        void fail(String error) {
            done.complete(new Attempt(at, null, millis(), error, null));
        }

        void end() {
            ended.set(true);
            vertx.cancelTimer(timer);
        }

        private long millis() {
            return (System.nanoTime() - start) / 1_000_000;
        }
    }

    private static String describe(Throwable e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
