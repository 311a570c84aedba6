package io.reelhook.twelvelabs;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Sends uploads ({@code POST /tasks}, {@code POST /assets}) with Vert.x' HTTP client, the body pumped by the calling thread. The REST client reads an
 * InputStream body with ordered blocking tasks on the connection's event-loop context, which other requests share:
 * one upload whose client stalls then holds back every upload behind it. Here a blocking read only ever blocks its
 * own caller, and a body that fails is reset, never ended, so Twelve Labs never gets a complete request for it.
 */
@Singleton
class UpstreamSender {

    static final int CHUNK = 256 * 1024;

    /** Twelve Labs' answer: status, Retry-After and body. */
    record Answer(int status, String retryAfter, String body) {}

    /** The connection broke; {@code delivered} when the whole body had been sent by then. */
    static final class BrokenException extends IOException {
        final boolean delivered;

        BrokenException(Throwable cause, boolean delivered) {
            super(cause.getMessage() == null ? cause.toString() : cause.getMessage(), cause);
            this.delivered = delivered;
        }
    }

    private final HttpClient client;
    private final String url;
    private final long readTimeout;

    UpstreamSender(
            Vertx vertx,
            @ConfigProperty(name = "quarkus.rest-client.twelvelabs-uploads.url") String url,
            @ConfigProperty(name = "quarkus.rest-client.twelvelabs-uploads.connect-timeout") int connectTimeout,
            @ConfigProperty(name = "quarkus.rest-client.twelvelabs-uploads.read-timeout") long readTimeout,
            // no default here: the reelhook.upload mapping (UploadConfig) holds it
            @ConfigProperty(name = "reelhook.upload.max-concurrent") int maxConcurrent) {
        this.url = url.replaceAll("/+$", "");
        this.readTimeout = readTimeout;
        this.client = vertx.createHttpClient(
                new HttpClientOptions().setConnectTimeout(connectTimeout).setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(Math.max(4, 2 * maxConcurrent)));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /**
     * Sends {@code body} (closed here) to {@code path} under Twelve Labs' base URL and returns the answer. A failure to read the body resets the request and is
     * thrown as it is; a broken connection is a {@link BrokenException}.
     */
    Answer send(String path, String contentType, String apiKey, InputStream body) throws IOException {
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(url + path)
                .setIdleTimeout(readTimeout)
                .setHeaders(MultiMap.caseInsensitiveMultiMap()
                        .add("Content-Type", contentType)
                        .add("Accept", "application/json")
                        .add("x-api-key", apiKey));
        HttpClientRequest request;
        try {
            request = await(client.request(options).toCompletionStage().toCompletableFuture());
        } catch (ExecutionException e) {
            throw new BrokenException(e.getCause(), false);
        }
        request.setChunked(true);
        request.setWriteQueueMaxSize(2 * CHUNK);
        CompletableFuture<Answer> answer = request.response()
                .compose(response -> response.body()
                        .map(bytes ->
                                new Answer(response.statusCode(), response.getHeader("Retry-After"), bytes.toString())))
                .toCompletionStage()
                .toCompletableFuture();
        boolean delivered = false;
        try (body) {
            byte[] chunk = new byte[CHUNK];
            for (int n = body.read(chunk); n >= 0 && !answer.isDone(); n = body.read(chunk)) {
                if (n > 0) {
                    write(request, Buffer.buffer(n).appendBytes(chunk, 0, n), answer);
                }
            }
            if (answer.isDone()) {
                // Twelve Labs answered before the body was complete (an error): the rest is not sent
                request.reset();
                return await(answer);
            }
            await(request.end().toCompletionStage().toCompletableFuture());
            delivered = true;
            return await(answer);
        } catch (ExecutionException e) {
            request.reset(0, e.getCause());
            throw new BrokenException(e.getCause(), delivered);
        } catch (IOException | RuntimeException e) {
            request.reset(0, e);
            throw e;
        }
    }

    /** Writes a chunk, then waits while Vert.x still holds more than the write queue's size. */
    private static void write(HttpClientRequest request, Buffer chunk, CompletableFuture<Answer> answer)
            throws IOException, ExecutionException {
        request.write(chunk);
        if (request.writeQueueFull()) {
            CompletableFuture<Void> drained = new CompletableFuture<>();
            request.drainHandler(v -> drained.complete(null));
            if (!request.writeQueueFull()) {
                drained.complete(null);
            }
            await(CompletableFuture.anyOf(drained, answer));
        }
    }

    private static <T> T await(CompletableFuture<T> future) throws ExecutionException, IOException {
        try {
            return future.get(1, TimeUnit.DAYS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while sending the upload");
        } catch (TimeoutException e) {
            throw new IOException("no answer from Twelve Labs", e);
        }
    }
}
