package io.reelhook.resumable;

import io.quarkus.scheduler.Scheduled;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.util.Optional;

/**
 * Expires uploads that received nothing for {@code REELHOOK_RESUMABLE_EXPIRE_AFTER}: their file is deleted and their
 * row stays, {@code expired}, so that the client gets 410. An upload that a PATCH is writing to (its lock is held) is
 * left for the next round, so no instance deletes bytes that another is receiving.
 */
@Singleton
public class ResumableCleanup {

    private static final Logger LOG = Logger.getLogger(ResumableCleanup.class);
    private static final int BATCH = 100;

    private final ResumableStore store;

    ResumableCleanup(ResumableStore store) {
        this.store = store;
    }

    @Scheduled(
            every = "${reelhook.resumable.cleanup-every}",
            delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        expireDue();
    }

    /** Expires every due upload that is not being written to; returns how many. */
    public int expireDue() {
        int expired = 0;
        while (true) {
            int round = 0;
            int skipped = 0;
            for (ResumableUpload upload : store.expired(BATCH)) {
                Optional<ResumableStore.Lock> lock = store.tryLock(upload.id());
                if (lock.isEmpty()) {
                    skipped++;
                    continue;
                }
                try (ResumableStore.Lock held = lock.get()) {
                    if (store.expire(upload.id())) {
                        TusService.deleteQuietly(upload.spoolPath());
                        round++;
                    }
                }
            }
            expired += round;
            if (round == 0 || round + skipped < BATCH) {
                break;
            }
        }
        if (expired > 0) {
            LOG.infof("expired %d resumable upload(s) that received nothing for too long", expired);
        }
        return expired;
    }
}
