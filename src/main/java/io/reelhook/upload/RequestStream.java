package io.reelhook.upload;

import io.vertx.core.Context;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;

/**
 * A request body as a blocking stream for a worker thread, with up to {@link #HIGH_WATER} bytes read ahead.
 * Quarkus' own request stream fetches one network chunk at a time, and then the hand-over between the event loop
 * and the worker for every 64 KiB, not the bytes, limits how fast an upload arrives.
 */
public final class RequestStream extends InputStream implements Handler<Buffer> {

    /** Read ahead per upload: with 16 uploads at once, 32 MiB of heap at most (the hand-over cost is per chunk). */
    static final int HIGH_WATER = 2 * 1024 * 1024;

    static final int LOW_WATER = 512 * 1024;

    /** The body is longer than the stream may read. */
    public static final class TooLongException extends IOException {
        TooLongException(long limit) {
            super("the request body is longer than " + limit + " bytes");
        }
    }

    /** The client sent nothing for longer than the idle timeout. */
    public static final class IdleException extends IOException {
        IdleException(long millis) {
            super("the client sent nothing for " + millis + " ms");
        }
    }

    private final HttpServerRequest request;
    private final Context context;
    private final long limit;
    private final long idleMillis;
    private long read;
    private final ArrayDeque<Buffer> chunks = new ArrayDeque<>();
    private long queued;
    private boolean paused;
    private boolean ended;
    private boolean waiting;
    private Throwable failure;
    private Buffer current;
    private int offset;

    private RequestStream(HttpServerRequest request, Context context, long limit, long idleMillis) {
        this.request = request;
        this.context = context;
        this.limit = limit;
        this.idleMillis = idleMillis;
    }

    /**
     * Starts reading {@code request}, of which at most {@code limit} bytes: a body without Content-Length is cut
     * off there, and a client that sends nothing for {@code idle} is cut off. Call from the worker that handles the
     * request.
     */
    static RequestStream of(HttpServerRequest request, long limit, java.time.Duration idle) {
        Context context = Vertx.currentContext();
        if (context == null) {
            throw new IllegalStateException("no Vert.x context: the request's body cannot be read here");
        }
        RequestStream stream = new RequestStream(request, context, limit, Math.max(1, idle.toMillis()));
        context.runOnContext(start -> {
            // curl, for one, waits up to a second for this before it sends a large body
            if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
                request.response().writeContinue();
            }
            request.handler(stream);
            request.endHandler(end -> stream.finish(null));
            request.exceptionHandler(stream::finish);
            request.resume();
        });
        return stream;
    }

    @Override
    public synchronized void handle(Buffer chunk) {
        chunks.add(chunk);
        queued += chunk.length();
        if (queued > HIGH_WATER && !paused) {
            paused = true;
            request.pause();
        }
        if (waiting) {
            notifyAll();
        }
    }

    private synchronized void finish(Throwable error) {
        ended = true;
        failure = error;
        notifyAll();
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] bytes, int off, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        while (current == null || offset == current.length()) {
            current = chunks.poll();
            offset = 0;
            if (current != null) {
                queued -= current.length();
                if (paused && queued < LOW_WATER) {
                    paused = false;
                    context.runOnContext(resume -> request.resume());
                }
            } else if (failure != null) {
                throw new IOException("the request broke off: " + failure.getMessage(), failure);
            } else if (ended) {
                return -1;
            } else {
                awaitChunk();
            }
        }
        int n = Math.min(length, current.length() - offset);
        if (read + n > limit) {
            throw new TooLongException(limit);
        }
        current.getBytes(offset, offset + n, bytes, off);
        offset += n;
        read += n;
        return n;
    }

    /**
     * A body left unread ends its connection with the answer: nothing else could follow on it. Until then the rest
     * is read and dropped, so that a client that sends its whole body before it reads (most do) gets the answer
     * instead of waiting on a paused connection.
     */
    @Override
    public synchronized void close() {
        if (!ended) {
            request.response().putHeader("Connection", "close");
            chunks.clear();
            current = null;
            context.runOnContext(discard -> {
                request.handler(chunk -> {});
                request.resume();
            });
        }
    }

    /** Waits for the next chunk, the end or a failure; at most the idle timeout from now. */
    private void awaitChunk() throws IOException {
        long deadline = System.nanoTime() + idleMillis * 1_000_000;
        waiting = true;
        try {
            int before = chunks.size();
            while (chunks.size() == before && !ended) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    throw new IdleException(idleMillis);
                }
                wait(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while receiving the upload");
        } finally {
            waiting = false;
        }
    }
}
