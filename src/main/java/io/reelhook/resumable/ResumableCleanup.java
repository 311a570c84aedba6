package io.reelhook.resumable;

import io.quarkus.scheduler.Scheduled;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
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
    private final ResumableConfig config;

    ResumableCleanup(ResumableStore store, ResumableConfig config) {
        this.store = store;
        this.config = config;
    }

    @Scheduled(
            every = "${reelhook.resumable.cleanup-every}",
            delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        expireDue();
        removeOrphans();
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

    /**
     * Deletes spool files that no live upload names and that are older than the expiry: a process that died between
     * creating an upload's file and storing its row, or a deletion that failed. Returns how many.
     */
    public int removeOrphans() {
        Path directory = config.directory().toAbsolutePath();
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        Instant before = Instant.now().minus(config.expireAfter());
        Map<String, Path> old = new HashMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "*" + TusService.SUFFIX)) {
            for (Path file : files) {
                if (Files.getLastModifiedTime(file).toInstant().isBefore(before)) {
                    String name = file.getFileName().toString();
                    old.put(name.substring(0, name.length() - TusService.SUFFIX.length()), file);
                }
            }
        } catch (IOException e) {
            LOG.warnf("could not list the resumable upload directory %s: %s", directory, e.getMessage());
            return 0;
        }
        if (old.isEmpty()) {
            return 0;
        }
        store.live(old.keySet().toArray(String[]::new)).forEach(old::remove);
        old.values().forEach(TusService::deleteQuietly);
        if (!old.isEmpty()) {
            LOG.infof("removed %d resumable spool file(s) that no upload in progress names", old.size());
        }
        return old.size();
    }
}
