package io.reelhook.upload;

import io.reelhook.api.ApiException;
import io.reelhook.task.Task;
import io.reelhook.task.TaskLedger;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/** Stores an uploaded task once Twelve Labs has made it, or keeps it on disk until the database takes it. */
@Singleton
class TaskRecorder {

    private static final Logger LOG = Logger.getLogger(TaskRecorder.class);
    private static final int RECORD_ATTEMPTS = 3;

    private final TaskLedger ledger;
    private final UploadConfig uploads;
    private final PendingTasks pending;

    TaskRecorder(TaskLedger ledger, UploadConfig uploads, PendingTasks pending) {
        this.ledger = ledger;
        this.uploads = uploads;
        this.pending = pending;
    }

    /**
     * Stores the task Twelve Labs made, trying again while the database fails: Twelve Labs has the task now, and a
     * client told only "error" would upload it again (the ledger records a task's upload once, so retrying a write
     * that did commit adds nothing). Past the attempts the task is kept on local disk and stored from there once the
     * database takes it; the answer carries the task's id (and so does the log).
     */
    void record(Task task) {
        OffsetDateTime answeredAt = OffsetDateTime.now(ZoneOffset.UTC);
        RuntimeException last = null;
        for (int attempt = 1; attempt <= RECORD_ATTEMPTS; attempt++) {
            try {
                ledger.recordUpload(task);
                return;
            } catch (RuntimeException e) {
                last = e;
                LOG.warnf(
                        "attempt %d of %d to store Twelve Labs task %s failed: %s",
                        attempt, RECORD_ATTEMPTS, task.id, e.toString());
                if (attempt < RECORD_ATTEMPTS) {
                    sleep(Duration.ofMillis(250L * attempt * attempt));
                }
            }
        }
        String later;
        try {
            Path kept = pending.keep(task, answeredAt);
            LOG.errorf(
                    last,
                    "Twelve Labs task %s (index %s, file %s) could not be stored yet; kept in %s",
                    task.id,
                    task.indexId,
                    task.filename,
                    kept);
            later = "it is kept and will be recorded once the database is back";
        } catch (IOException | RuntimeException e) {
            LOG.errorf(
                    last,
                    "Twelve Labs task %s (index %s, file %s) was created but could neither be stored nor"
                            + " kept on disk (%s)",
                    task.id,
                    task.indexId,
                    task.filename,
                    e.toString());
            later = "the task's webhook will record it";
        }
        throw new ApiException(
                503,
                "database_unavailable",
                "Twelve Labs created the task " + task.id
                        + ", but Reelhook could not store it yet; " + later
                        + ". Do not upload the video again: GET /v1.3/tasks/"
                        + task.id + " answers once it is recorded.",
                Map.of("Retry-After", Integer.toString(uploads.retryAfterSeconds())));
    }

    private static void sleep(Duration wait) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
