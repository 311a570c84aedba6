package io.reelhook.simulator;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A multipart {@code POST /tasks} or {@code POST /assets} body, read by the resource itself (so that {@link SimulatorGuard} decides before
 * any of it is read) with Vert.x's form decoder: text fields in memory (Quarkus' form attribute limit), the first
 * file part of the given name ({@code video_file}, {@code file}) streamed to a temporary file, other files
 * discarded, the whole capped at a length.
 */
final class SimForm implements AutoCloseable {

    private static final long TIMEOUT_MINUTES = 10;

    /** The body is longer than the form may be. */
    static final class TooLargeException extends IOException {
        TooLargeException(long limit) {
            super("the request body is longer than " + limit + " bytes");
        }
    }

    /** First value of each text field, by lowercase name (Twelve Labs' Node example sends INDEX_ID). */
    final Map<String, String> fields = new HashMap<>();
    /** Lowercase names of the file parts. */
    final Set<String> files = new HashSet<>();

    private Path video;
    private String filename;
    private String contentType;
    private Future<Void> writing = Future.succeededFuture();
    private long received;

    private SimForm() {}

    /**
     * Reads {@code request}'s form on its event loop, keeping the file part named {@code fileField} (lowercase);
     * call from the worker that handles it, which waits.
     */
    static SimForm read(HttpServerRequest request, long limit, String fileField) throws IOException {
        Context context = Vertx.currentContext();
        if (context == null) {
            throw new IllegalStateException("no Vert.x context: the request's body cannot be read here");
        }
        SimForm form = new SimForm();
        CompletableFuture<Void> done = new CompletableFuture<>();
        context.runOnContext(start -> {
            if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
                request.response().writeContinue();
            }
            request.setExpectMultipart(true);
            request.handler(chunk -> {
                form.received += chunk.length();
                if (form.received > limit && done.completeExceptionally(new TooLargeException(limit))) {
                    request.pause();
                }
            });
            request.uploadHandler(upload -> {
                String name = upload.name().toLowerCase(Locale.ROOT);
                form.files.add(name);
                if (!name.equals(fileField) || form.video != null) {
                    upload.handler(ignored -> {});
                    return;
                }
                try {
                    form.video = Files.createTempFile("reelhook-simulator-", ".video");
                    form.filename = upload.filename();
                    form.contentType = upload.contentType();
                    form.writing = upload.streamToFileSystem(form.video.toString());
                } catch (IOException e) {
                    done.completeExceptionally(e);
                    request.pause();
                }
            });
            request.exceptionHandler(done::completeExceptionally);
            request.endHandler(end -> {
                request.formAttributes()
                        .forEach(field ->
                                form.fields.putIfAbsent(field.getKey().toLowerCase(Locale.ROOT), field.getValue()));
                form.writing.onComplete(written -> {
                    if (written.succeeded()) {
                        done.complete(null);
                    } else {
                        done.completeExceptionally(written.cause());
                    }
                });
            });
            request.resume();
        });
        try {
            done.get(TIMEOUT_MINUTES, TimeUnit.MINUTES);
            return form;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            form.close();
            throw new IOException("interrupted while reading the form", e);
        } catch (TimeoutException e) {
            form.close();
            throw new IOException("the form did not arrive within " + TIMEOUT_MINUTES + " minutes", e);
        } catch (ExecutionException e) {
            form.close();
            throw e.getCause() instanceof IOException io
                    ? io
                    : new IOException(e.getCause().getMessage(), e.getCause());
        }
    }

    Optional<Path> video() {
        return Optional.ofNullable(video);
    }

    String filename() {
        return filename;
    }

    /** The file part's declared type, if any. */
    String contentType() {
        return contentType;
    }

    /** Removes the temporary file, if any. */
    @Override
    public void close() throws IOException {
        if (video != null) {
            Files.deleteIfExists(video);
        }
    }
}
