package io.reelhook.twelvelabs;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/** One upload's state: its URLs, its workers and the chunks waiting to be reported. */
final class MultipartRun {

    private static final Logger LOG = Logger.getLogger(MultipartRun.class);
    private static final long MAX_RETRY_DELAY = 30_000;
    /** Status checks after the last report while the session is still {@code active}. */
    private static final int STATUS_CHECKS = 5;

    private final MultipartUploads uploads;
    private final ChunkSender sender;
    private final MultipartConfig config;
    private final MeterRegistry registry;

    private final ChunkSource source;
    private final MultipartSession session;
    private final long totalSize;
    private final int totalChunks;
    private final int parallel;
    private final PresignedUrlBook urls;
    /** The first failure; once set, nothing more is sent or reported. */
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private final ExecutorService workers;
    /** The chunks this run sends, in order; chunks sent by an earlier run are not among them. */
    private final List<Integer> chunks;
    /** Chunks an earlier run sent but did not report: reported with this run's first batch. */
    private final List<CompletedChunk> unreported;

    private final ChunkedUpload.Progress progress;

    MultipartRun(
            ChunkSource source,
            MultipartSession session,
            long totalSize,
            List<Integer> chunks,
            List<CompletedChunk> unreported,
            ChunkedUpload.Progress progress,
            MultipartUploads uploads,
            ChunkSender sender,
            MultipartConfig config,
            MeterRegistry registry) {
        this.uploads = uploads;
        this.sender = sender;
        this.config = config;
        this.registry = registry;
        this.source = source;
        this.session = session;
        this.totalSize = totalSize;
        long count = totalChunks(session, totalSize);
        if (session.totalChunks() > 0 && session.totalChunks() != count) {
            LOG.warnf(
                    "Twelve Labs counts %d chunks for upload %s, %d bytes in chunks of %d make %d",
                    session.totalChunks(), session.uploadId(), totalSize, session.chunkSize(), count);
        }
        this.totalChunks = Math.toIntExact(count);
        this.chunks = chunks == null ? range(totalChunks) : List.copyOf(chunks);
        this.unreported = List.copyOf(unreported);
        this.progress = progress;
        this.parallel = Math.max(1, Math.min(config.parallelChunks(), Math.max(1, this.chunks.size())));
        this.urls = new PresignedUrlBook(
                session, totalChunks, config.urlMargin(), uploads, registry.counter("reelhook.multipart.urls.renewed"));
        AtomicInteger threads = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(parallel, task -> {
            Thread thread =
                    new Thread(task, "reelhook-multipart-" + session.uploadId() + "-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    static long totalChunks(MultipartSession session, long totalSize) {
        return (totalSize + session.chunkSize() - 1) / session.chunkSize();
    }

    private static List<Integer> range(int totalChunks) {
        List<Integer> all = new ArrayList<>(totalChunks);
        for (int i = 1; i <= totalChunks; i++) {
            all.add(i);
        }
        return all;
    }

    /** Sends and reports this run's chunks, then confirms the session is complete. */
    UploadedAsset upload() throws IOException {
        return confirm(send());
    }

    /** Sends and reports this run's chunks (and the unreported ones); the last report, or null when none was made. */
    ChunkReport send() throws IOException {
        CompletionService<CompletedChunk> done = new ExecutorCompletionService<>(workers);
        List<CompletedChunk> batch = new ArrayList<>(unreported);
        ChunkReport last = null;
        try {
            int next = 0;
            int inFlight = 0;
            for (int completed = 0; completed < chunks.size(); ) {
                while (inFlight < parallel && next < chunks.size()) {
                    // in order, so that one renewal covers the chunks after it rather than each asking for its own
                    int index = chunks.get(next++);
                    urls.ensure(index);
                    done.submit(() -> send(index));
                    inFlight++;
                }
                CompletedChunk chunk = result(done.take());
                progress.sent(chunk);
                inFlight--;
                completed++;
                batch.add(chunk);
                if (batch.size() >= config.reportBatch() || completed == chunks.size()) {
                    last = report(batch);
                    batch = new ArrayList<>();
                }
            }
            if (!batch.isEmpty()) {
                last = report(batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure.compareAndSet(null, new InterruptedIOException("the multipart upload was interrupted"));
            throw abort();
        } catch (IOException | RuntimeException e) {
            failure.compareAndSet(null, e);
            throw abort();
        } finally {
            workers.shutdownNow();
        }
        return last;
    }

    private ChunkReport report(List<CompletedChunk> batch) throws IOException {
        checkNotFailed();
        ChunkReport report = uploads.report(session.uploadId(), batch);
        progress.reported(batch);
        return report;
    }

    /** Stops every worker (resetting the PUTs in flight) and returns the first failure to throw. */
    private IOException abort() {
        workers.shutdownNow();
        Throwable first = failure.get();
        LOG.debugf("multipart upload %s aborted: %s", session.uploadId(), first);
        if (first instanceof ChunkSender.SourceFailedException sourceFailed) {
            return sourceFailed.source();
        }
        if (first instanceof IOException io) {
            return io;
        }
        throw unchecked(first);
    }

    private void checkNotFailed() throws IOException {
        Throwable first = failure.get();
        if (first instanceof IOException io) {
            throw io;
        }
        if (first != null) {
            throw unchecked(first);
        }
    }

    private static RuntimeException unchecked(Throwable failure) {
        if (failure instanceof Error error) {
            throw error;
        }
        return failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
    }

    private CompletedChunk result(Future<CompletedChunk> future) throws IOException, InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            failure.compareAndSet(null, cause);
            checkNotFailed();
            throw new IllegalStateException(cause);
        } catch (CancellationException e) {
            checkNotFailed();
            throw e;
        }
    }

    /** Sends chunk {@code index} once its bytes are there; retries storage errors and renews refused URLs. */
    private CompletedChunk send(int index) throws IOException {
        try {
            return attempt(index);
        } catch (IOException | RuntimeException e) {
            // the first failure stops the others at once, even while the coordinator waits on a report
            if (failure.compareAndSet(null, e)) {
                workers.shutdownNow();
            }
            throw e;
        }
    }

    private CompletedChunk attempt(int index) throws IOException {
        long offset = (index - 1L) * session.chunkSize();
        long length = Math.min(session.chunkSize(), totalSize - offset);
        try {
            source.awaitLength(offset + length);
        } catch (InterruptedIOException e) {
            throw e;
        } catch (IOException e) {
            throw new ChunkSender.SourceFailedException(e);
        }
        RuntimeException lastError = null;
        long delay = Math.max(1, config.chunkRetryDelay().toMillis());
        PresignedUrl url = urls.usable(index, null);
        for (int attempt = 1; attempt <= config.chunkAttempts(); attempt++) {
            checkNotFailed();
            if (attempt > 1) {
                registry.counter("reelhook.multipart.chunks.retried").increment();
            }
            if (urls.expiring(url)) {
                url = urls.usable(index, url);
            }
            ChunkSender.Answer answer = null;
            Timer.Sample sample = Timer.start(registry);
            String outcome = "unreachable";
            try {
                answer = sender.put(url.url(), session.uploadHeaders(), source, offset, length, config.chunkTimeout());
                outcome = Integer.toString(answer.status());
            } catch (ChunkSender.SourceFailedException | InterruptedIOException e) {
                outcome = "aborted";
                throw e;
            } catch (IOException e) {
                LOG.debugf("chunk %d of upload %s, attempt %d: %s", index, session.uploadId(), attempt, e);
                lastError = new UpstreamUnavailableException(e);
            } finally {
                sample.stop(
                        registry.timer("reelhook.upstream.requests", "operation", "upload_chunk", "status", outcome));
            }
            if (answer == null) {
                delay = pause(delay, attempt);
                continue;
            }
            int status = answer.status();
            if (status / 100 == 2 && answer.etag() != null) {
                registry.counter("reelhook.multipart.chunks.sent").increment();
                return CompletedChunk.etag(index, answer.etag(), length);
            }
            LOG.debugf("chunk %d of upload %s, attempt %d: %d", index, session.uploadId(), attempt, status);
            lastError = storageError(
                    status / 100 == 2 ? 502 : status,
                    (status / 100 == 2
                                    ? "Twelve Labs' storage took chunk " + index + " without an ETag"
                                    : "Twelve Labs' storage answered " + status + " to chunk " + index)
                            + " (attempt " + attempt + " of " + config.chunkAttempts() + ").");
            if (status == 403) {
                // an expired (or spent) presigned URL: a fresh one right away, no wait
                url = urls.usable(index, url);
            } else if (status / 100 == 2 || status >= 500 || status == 429 || status == 408) {
                delay = pause(delay, attempt);
            } else {
                throw lastError;
            }
        }
        throw lastError;
    }

    /** Waits before the next attempt, unless {@code attempt} was the last. */
    private long pause(long delay, int attempt) throws InterruptedIOException {
        return attempt < config.chunkAttempts() ? pause(delay) : delay;
    }

    /** Sleeps about {@code delay} ms (interruptibly) and returns the next, doubled delay. */
    private long pause(long delay) throws InterruptedIOException {
        try {
            Thread.sleep(delay + ThreadLocalRandom.current().nextLong(delay / 4 + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting to send a chunk again");
        }
        return Math.min(2 * delay, MAX_RETRY_DELAY);
    }

    /**
     * Every chunk is reported: Twelve Labs' session must say {@code completed}. While it is still {@code active},
     * the chunks it lists as failed are sent again (from the source, with fresh URLs) and reported again, as
     * Twelve Labs' documentation of the status asks.
     */
    private UploadedAsset confirm(ChunkReport last) throws IOException {
        MultipartStatus status = uploads.status(session.uploadId());
        long delay = Math.max(1, config.chunkRetryDelay().toMillis());
        for (int check = 1; MultipartStatus.ACTIVE.equals(status.status()) && check < STATUS_CHECKS; check++) {
            List<Integer> failed = status.uploadedChunks().stream()
                    .filter(chunk -> MultipartStatus.FAILED.equals(chunk.status()))
                    .map(MultipartStatus.Chunk::index)
                    .filter(index -> index >= 1 && index <= totalChunks)
                    .distinct()
                    .toList();
            if (failed.isEmpty()) {
                delay = pause(delay);
            } else {
                last = resend(failed);
            }
            status = uploads.status(session.uploadId());
        }
        if (!MultipartStatus.COMPLETED.equals(status.status())) {
            throw new UpstreamException(
                    502,
                    "upstream_error",
                    "Twelve Labs' upload session " + session.uploadId() + " is " + status.status()
                            + " after all " + totalChunks + " chunks were reported"
                            + (status.chunksFailed() == null ? "." : " (" + status.chunksFailed() + " failed)."),
                    null);
        }
        String assetId = last != null && last.assetId() != null ? last.assetId() : session.assetId();
        return new UploadedAsset(assetId, session.uploadId(), last == null ? null : last.url());
    }

    /** Sends the chunks Twelve Labs failed again, one after the other, each with a fresh URL, and reports them. */
    private ChunkReport resend(List<Integer> failed) throws IOException {
        LOG.infof("Twelve Labs failed chunks %s of upload %s: sending them again", failed, session.uploadId());
        List<CompletedChunk> again = new ArrayList<>();
        try {
            for (int index : failed) {
                // the URL it was sent to is spent
                urls.forget(index);
                again.add(attempt(index));
            }
        } catch (ChunkSender.SourceFailedException e) {
            throw e.source();
        }
        return uploads.report(session.uploadId(), again);
    }

    /** A 5xx or 429 is {@link UpstreamException.Transient}, as Twelve Labs' own are. */
    private static UpstreamException storageError(int status, String message) {
        return status >= 500 || status == 429
                ? new UpstreamException.Transient(status, "upstream_error", message, null)
                : new UpstreamException(status, "upstream_error", message, null);
    }
}
