package io.reelhook.upload;

import io.reelhook.api.ApiException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Lets a request body in, for every kind of upload ({@code POST /tasks}, {@code POST /assets}): at most
 * {@code REELHOOK_UPLOAD_MAX_CONCURRENT} at once and only while the spool's disk keeps its margin, both decided
 * before a byte of the body is read; then the body as a stream with a length cap and an idle timeout.
 */
@Singleton
public class Intake {

    private final UploadConfig config;
    private final Path spoolDirectory;
    private final Semaphore permits;
    private final ExecutorService senders;

    Intake(UploadConfig config, @ConfigProperty(name = "quarkus.http.body.uploads-directory") Path spoolDirectory) {
        this.config = config;
        this.spoolDirectory = spoolDirectory;
        this.permits = new Semaphore(config.maxConcurrent());
        AtomicInteger threads = new AtomicInteger();
        // one more than the uploads let in: a withdrawn upload's sender may linger a moment after its request
        this.senders = Executors.newFixedThreadPool(config.maxConcurrent() + 1, run -> {
            Thread thread = new Thread(run, "upstream-sender-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @PreDestroy
    void stop() {
        senders.shutdownNow();
    }

    /**
     * The threads that send uploads upstream while they arrive, one per upload that the permits let in: each upload
     * holds its request worker and one of these, never a second request worker.
     */
    public ExecutorService senders() {
        return senders;
    }

    public Path spoolDirectory() {
        return spoolDirectory;
    }

    /**
     * Runs {@code accept} on the body, at most {@code limit} bytes of it, holding one of the upload permits.
     *
     * @param length the declared Content-Length, or null
     */
    public <T> T receive(Long length, HttpServerRequest request, long limit, Function<InputStream, T> accept) {
        return receive(length, request, limit, spoolDirectory, accept);
    }

    /** {@link #receive} for a body that goes to a disk of its own ({@code directory}, which must keep the margin). */
    public <T> T receive(
            Long length, HttpServerRequest request, long limit, Path directory, Function<InputStream, T> accept) {
        String retryAfter = Integer.toString(config.retryAfterSeconds());
        if (!permits.tryAcquire()) {
            request.response().putHeader("Connection", "close");
            throw new ApiException(
                    429,
                    "too_many_requests",
                    "More than " + config.maxConcurrent() + " uploads are in progress; try again later.",
                    Map.of("Retry-After", retryAfter));
        }
        try {
            Optional<String> shortfall =
                    DiskSpace.shortfall(directory, length == null ? 0 : length, config.minFreeDisk());
            if (shortfall.isPresent()) {
                request.response().putHeader("Connection", "close");
                throw new ApiException(503, "insufficient_storage", shortfall.get(), Map.of("Retry-After", retryAfter));
            }
            try (RequestStream body = RequestStream.of(request, limit, config.idleTimeout())) {
                return accept.apply(body);
            }
        } catch (IOException e) {
            throw new ApiException(
                    503,
                    "insufficient_storage",
                    "The upload directory is not usable: " + e.getMessage(),
                    Map.of("Retry-After", retryAfter));
        } finally {
            permits.release();
        }
    }
}
