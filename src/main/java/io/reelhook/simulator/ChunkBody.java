package io.reelhook.simulator;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A chunk {@code PUT}'s body, read by the resource itself on the request's event loop as it arrives: its bytes go
 * through MD5 and SHA-256 and are dropped, never held. Stops past {@code limit} bytes.
 */
final class ChunkBody {

    private static final long TIMEOUT_MINUTES = 10;

    /** What arrived: the length and the digests, in lowercase hex. */
    record Digests(long size, String md5, String sha256) {}

    private ChunkBody() {}

    /** Call from the worker that handles {@code request}, which waits. */
    static Digests read(HttpServerRequest request, long limit) throws IOException {
        Context context = Vertx.currentContext();
        if (context == null) {
            throw new IllegalStateException("no Vert.x context: the request's body cannot be read here");
        }
        MessageDigest md5 = digest("MD5");
        MessageDigest sha256 = digest("SHA-256");
        long[] received = {0};
        CompletableFuture<Digests> done = new CompletableFuture<>();
        context.runOnContext(start -> {
            if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
                request.response().writeContinue();
            }
            request.handler(chunk -> {
                received[0] += chunk.length();
                if (received[0] > limit) {
                    if (done.completeExceptionally(new SimForm.TooLargeException(limit))) {
                        request.pause();
                    }
                    return;
                }
                md5.update(chunk.getByteBuf().nioBuffer());
                sha256.update(chunk.getByteBuf().nioBuffer());
            });
            request.exceptionHandler(done::completeExceptionally);
            request.endHandler(end -> done.complete(new Digests(
                    received[0],
                    HexFormat.of().formatHex(md5.digest()),
                    HexFormat.of().formatHex(sha256.digest()))));
            request.resume();
        });
        try {
            return done.get(TIMEOUT_MINUTES, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reading the chunk", e);
        } catch (TimeoutException e) {
            throw new IOException("the chunk did not arrive within " + TIMEOUT_MINUTES + " minutes", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io
                    ? io
                    : new IOException(e.getCause().getMessage(), e.getCause());
        }
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is not available", e);
        }
    }
}
