package io.reelhook.resumable;

import io.quarkus.runtime.StartupEvent;
import io.reelhook.upload.UploadConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands completed uploads to {@link CompletedUploads} on threads of its own, beside the final PATCH's answer; and, at
 * start, the ones an earlier process completed but never handed over (it stopped in between), so that an
 * acknowledged upload is never left behind.
 */
@Singleton
class HandOver {

    private static final Logger LOG = Logger.getLogger(HandOver.class);
    /** How long a hand-over waits for the final PATCH to let go of the upload's lock. */
    private static final Duration LOCK_WAIT = Duration.ofSeconds(30);

    private final ResumableStore store;
    private final CompletedUploads completed;
    private final ExecutorService completions;

    HandOver(ResumableStore store, CompletedUploads completed, UploadConfig uploads) {
        this.store = store;
        this.completed = completed;
        AtomicInteger threads = new AtomicInteger();
        this.completions = Executors.newFixedThreadPool(Math.max(1, uploads.maxConcurrent()), run -> {
            Thread thread = new Thread(run, "resumable-completed-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    @PreDestroy
    void stop() {
        completions.shutdown();
    }

    void resumeLeftovers(@Observes StartupEvent start) {
        List<ResumableUpload> left = store.completedNotHandedOver();
        if (!left.isEmpty()) {
            LOG.infof("handing over %d completed upload(s) that an earlier process did not", left.size());
        }
        // an upload whose lock another instance holds is being handed over there
        left.forEach(upload -> completions.execute(
                () -> store.tryHandOverLock(upload.id()).ifPresent(lock -> handLocked(upload.id(), lock))));
    }

    /**
     * Hands {@code upload} over, under its hand-over lock, so that no other instance hands it over too; a hand-over
     * that throws marks it failed with why.
     */
    void hand(ResumableUpload upload) {
        completions.execute(() -> {
            long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
            Optional<ResumableStore.Lock> lock = store.tryHandOverLock(upload.id());
            while (lock.isEmpty() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
                lock = store.tryHandOverLock(upload.id());
            }
            lock.ifPresentOrElse(
                    held -> handLocked(upload.id(), held),
                    () -> LOG.warnf(
                            "resumable upload %s: its hand-over lock stayed held; the next start hands it over",
                            upload.id()));
        });
    }

    private void handLocked(String id, ResumableStore.Lock lock) {
        try (lock) {
            Optional<ResumableUpload> now = store.find(id)
                    .filter(u ->
                            ResumableUpload.COMPLETE.equals(u.status()) && u.assetId() == null && u.error() == null);
            if (now.isEmpty()) {
                return;
            }
            ResumableUpload upload = now.get();
            if (!Files.isRegularFile(upload.spoolPath())) {
                store.failed(id, "upload_lost: the completed file is gone");
                return;
            }
            completed.completed(upload, upload.spoolPath());
        } catch (RuntimeException e) {
            LOG.errorf(e, "resumable upload %s: handing over the completed file failed", id);
            store.failed(id, String.valueOf(e.getMessage()));
        }
    }
}
