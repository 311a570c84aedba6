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

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * PUTs one chunk of a multipart upload to its presigned URL with Vert.x' HTTP client, streamed from its region of
 * the {@link ChunkSource} by the calling thread in {@link UpstreamSender#CHUNK}-sized pieces, as UpstreamSender does
 * for {@code POST /tasks}: a chunk is never held whole in memory, whatever Twelve Labs' chunk size. The length is
 * sent as {@code Content-Length}, since object storage refuses a chunked PUT.
 */
@Singleton
class ChunkSender {

    /** The storage's answer: status, ETag (quotes removed, as Twelve Labs' SDK does) and body. */
    record Answer(int status, String etag, String body) {}

    /** The source failed while its bytes were read: the upload's own failure, not the storage's. */
    static final class SourceFailedException extends IOException {
        SourceFailedException(IOException cause) {
            super(cause.getMessage(), cause);
        }

        IOException source() {
            return (IOException) getCause();
        }
    }

    private final HttpClient client;

    ChunkSender(
            Vertx vertx,
            MultipartConfig config,
            @ConfigProperty(name = "quarkus.rest-client.twelvelabs.connect-timeout") int connectTimeout,
            // no default here: the reelhook.upload mapping (UploadConfig) holds it
            @ConfigProperty(name = "reelhook.upload.max-concurrent") int maxConcurrent) {
        // every chunk in flight of every upload at once may go to the same storage host
        this.client = vertx.createHttpClient(
                new HttpClientOptions().setConnectTimeout(connectTimeout).setKeepAlive(true),
                new PoolOptions().setHttp1MaxSize(Math.max(4, config.parallelChunks() * maxConcurrent)));
    }

    @PreDestroy
    void close() {
        client.close();
    }

    /**
     * Sends bytes {@code [offset, offset + length)} of {@code source} to {@code url} and returns the answer. A broken
     * connection or a timeout is an IOException; a failure of the source a {@link SourceFailedException}; an
     * interrupt resets the request and is an {@link InterruptedIOException}.
     */
    Answer put(String url, Map<String, String> headers, ChunkSource source, long offset, long length, Duration timeout)
            throws IOException {
        MultiMap sent = MultiMap.caseInsensitiveMultiMap().addAll(headers);
        if (!sent.contains("Content-Type")) {
            sent.set("Content-Type", "application/octet-stream");
        }
        sent.set("Content-Length", Long.toString(length));
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.PUT)
                .setAbsoluteURI(url)
                .setIdleTimeout(timeout.toMillis())
                .setHeaders(sent);
        HttpClientRequest request;
        try {
            request = await(client.request(options).toCompletionStage().toCompletableFuture(), timeout);
        } catch (ExecutionException e) {
            throw new IOException("could not connect for a chunk: " + e.getCause(), e.getCause());
        }
        request.setWriteQueueMaxSize(2 * UpstreamSender.CHUNK);
        CompletableFuture<Answer> answer = request.response()
                .compose(response -> response.body()
                        .map(bytes -> new Answer(
                                response.statusCode(), unquoted(response.getHeader("ETag")), bytes.toString())))
                .toCompletionStage()
                .toCompletableFuture();
        try (InputStream body = open(source, offset, length)) {
            byte[] piece = new byte[(int) Math.min(UpstreamSender.CHUNK, Math.max(1, length))];
            long left = length;
            while (left > 0 && !answer.isDone()) {
                int n = read(body, piece, (int) Math.min(piece.length, left));
                if (n < 0) {
                    throw new SourceFailedException(
                            new EOFException("the source ended " + left + " bytes before the chunk's end"));
                }
                left -= n;
                write(request, Buffer.buffer(n).appendBytes(piece, 0, n), answer, timeout);
            }
            if (answer.isDone()) {
                // the storage answered before the chunk was complete (an error): the rest is not sent
                request.reset();
                return await(answer, timeout);
            }
            await(request.end().toCompletionStage().toCompletableFuture(), timeout);
            return await(answer, timeout);
        } catch (ExecutionException e) {
            request.reset(0, e.getCause());
            throw new IOException("a chunk's PUT broke: " + e.getCause(), e.getCause());
        } catch (IOException | RuntimeException e) {
            request.reset(0, e);
            throw e;
        }
    }

    private static InputStream open(ChunkSource source, long offset, long length) throws IOException {
        try {
            return source.open(offset, length);
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            throw new SourceFailedException(e);
        }
    }

    private static int read(InputStream body, byte[] piece, int length) throws IOException {
        try {
            return body.read(piece, 0, length);
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            throw new SourceFailedException(e);
        }
    }

    static String unquoted(String etag) {
        if (etag == null) {
            return null;
        }
        String trimmed = etag.trim();
        if (trimmed.startsWith("W/")) {
            trimmed = trimmed.substring(2);
        }
        if (trimmed.length() >= 2 && trimmed.startsWith("\"") && trimmed.endsWith("\"")) {
            trimmed = trimmed.substring(1, trimmed.length() - 1);
        }
        return trimmed.isEmpty() ? null : trimmed;
    }

    /** Writes a piece, then waits while Vert.x still holds more than the write queue's size. */
    private static void write(
            HttpClientRequest request, Buffer piece, CompletableFuture<Answer> answer, Duration timeout)
            throws IOException, ExecutionException {
        request.write(piece);
        if (request.writeQueueFull()) {
            CompletableFuture<Void> drained = new CompletableFuture<>();
            request.drainHandler(v -> drained.complete(null));
            if (!request.writeQueueFull()) {
                drained.complete(null);
            }
            await(CompletableFuture.anyOf(drained, answer), timeout);
        }
    }

    private static <T> T await(CompletableFuture<T> future, Duration timeout) throws ExecutionException, IOException {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while sending a chunk");
        } catch (TimeoutException e) {
            throw new IOException("no progress sending a chunk for " + timeout, e);
        }
    }
}
