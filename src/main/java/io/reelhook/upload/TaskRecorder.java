package io.reelhook.upload;

import io.reelhook.api.ApiException;
import io.reelhook.task.Task;
import io.reelhook.task.TaskLedger;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.Map;

/** Stores an uploaded task once Twelve Labs has made it. */
@Singleton
class TaskRecorder {

    private static final Logger LOG = Logger.getLogger(TaskRecorder.class);
    private static final int RECORD_ATTEMPTS = 3;

    private final TaskLedger ledger;
    private final UploadConfig uploads;

    TaskRecorder(TaskLedger ledger, UploadConfig uploads) {
        this.ledger = ledger;
        this.uploads = uploads;
    }

    /**
     * Stores the task Twelve Labs made, trying again while the database fails: Twelve Labs has the task now, and a
     * client told only "error" would upload it again. Past the attempts the answer carries the task's id (and so
     * does the log); a webhook for it later still adopts it.
     */
    void record(Task task) {
        RuntimeException last = null;
        for (int attempt = 1; attempt <= RECORD_ATTEMPTS; attempt++) {
            try {
                ledger.recordUpload(task);
                return;
            } catch (RuntimeException e) {
                last = e;
                LOG.warnf("attempt %d of %d to store Twelve Labs task %s failed: %s", attempt, RECORD_ATTEMPTS,
                        task.id, e.toString());
                if (attempt < RECORD_ATTEMPTS) {
                    sleep(Duration.ofMillis(250L * attempt * attempt));
                }
            }
        }
        LOG.errorf(last, "Twelve Labs task %s (index %s, file %s) was created but could not be stored", task.id,
                task.indexId, task.filename);
        throw new ApiException(503, "database_unavailable", "Twelve Labs created the task " + task.id
                + ", but Reelhook could not store it; do not upload the video again: the task's webhook will"
                + " record it, and GET /v1.3/tasks/" + task.id + " answers once it has.",
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
