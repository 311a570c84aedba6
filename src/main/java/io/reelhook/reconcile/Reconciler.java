package io.reelhook.reconcile;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.reelhook.db.Jdbc;
import io.reelhook.task.EventSource;
import io.reelhook.task.Observation;
import io.reelhook.task.TaskLedger;
import io.reelhook.task.TaskStatus;
import io.reelhook.twelvelabs.TwelveLabsClient;
import io.reelhook.twelvelabs.UpstreamException;
import io.reelhook.twelvelabs.UpstreamTask;
import io.reelhook.twelvelabs.UpstreamUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Asks Twelve Labs about tasks that are not terminal and have been silent for a while, and records what changed
 * through the same {@link TaskLedger} as webhooks (so it is published the same way). Webhooks stay the primary
 * path; this makes "no completed event is ever lost" true when one never arrives.
 */
@ApplicationScoped
public class Reconciler {

    private static final Logger LOG = Logger.getLogger(Reconciler.class);

    @Inject
    DataSource db;

    @Inject
    TaskLedger ledger;

    @Inject
    TwelveLabsClient twelveLabs;

    @Inject
    ReconcileConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    UpstreamBudget budget;

    /** Every instance runs this; a claimed task is invisible to the others until its next check is due. */
    @Scheduled(
            every = "${reelhook.reconcile.every}",
            delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        reconcileDue();
    }

    /** Checks the tasks that are due, within what is left of this minute's request budget; returns how many. */
    public int reconcileDue() {
        if (budget.pausedUntil().isPresent()) {
            return 0;
        }
        markStalled();
        int allowance = budget.take(config.budgetPerMinute());
        if (allowance == 0) {
            return 0;
        }
        List<String> claimed = claim(allowance);
        budget.refund(allowance - claimed.size());
        int checked = 0;
        for (String taskId : claimed) {
            try {
                check(taskId);
                checked++;
            } catch (UpstreamException e) {
                if (e.status() == 429) {
                    budget.rateLimited(e);
                    registry.counter("reelhook.reconciliations", "found", "rate_limited")
                            .increment();
                    return checked;
                }
                LOG.warnf("Reconciling %s: Twelve Labs answered %d %s", taskId, e.status(), e.code());
                registry.counter("reelhook.reconciliations", "found", "error").increment();
            } catch (UpstreamUnavailableException e) {
                LOG.warnf("Reconciling %s: %s", taskId, e.getMessage());
                registry.counter("reelhook.reconciliations", "found", "unreachable")
                        .increment();
                return checked;
            }
        }
        return checked;
    }

    private void check(String taskId) {
        UpstreamTask upstream = twelveLabs.getTask(taskId);
        Optional<TaskStatus> status = TaskStatus.parse(upstream.status());
        registry.counter(
                        "reelhook.reconciliations",
                        "found",
                        status.map(TaskStatus::wire).orElse("unknown"))
                .increment();
        status.ifPresent(found -> record(taskId, found, upstream));
    }

    /**
     * Records a status that moves the task on; an unchanged one, or one behind what Reelhook already knows (a webhook
     * overtook the answer, or Twelve Labs' read is stale), was a fruitless check: no event, and the grown wait stays.
     */
    @Transactional
    void record(String taskId, TaskStatus found, UpstreamTask upstream) {
        String current = Jdbc.strings(db, "SELECT status FROM task WHERE id = ? FOR UPDATE", taskId)
                .get(0);
        if (TaskStatus.parse(current).map(known -> known.canMoveTo(found)).orElse(true)) {
            ledger.record(new Observation(
                    taskId,
                    EventSource.RECONCILER,
                    null,
                    found,
                    null,
                    null,
                    upstream.indexId(),
                    upstream.videoId(),
                    upstream.systemMetadata(),
                    null));
            Jdbc.update(db, "UPDATE task SET reconcile_attempts = 0 WHERE id = ?", taskId);
        }
    }

    /**
     * Claims up to {@code limit} due tasks by moving their next check into the future, in one statement with
     * SKIP LOCKED, so that two instances never ask about the same task at the same moment. The wait before a
     * check grows with the video's duration and doubles with each fruitless check.
     */
    @Transactional
    public List<String> claim(int limit) {
        return Jdbc.strings(
                db,
                """
                UPDATE task SET reconciled_at = now(), reconcile_attempts = reconcile_attempts + 1
                WHERE id IN (
                    SELECT id FROM task
                    WHERE status NOT IN ('ready', 'failed') AND stalled_at IS NULL
                      AND greatest(heard_at, coalesce(reconciled_at, heard_at))
                          + make_interval(secs => ? * power(2, least(reconcile_attempts, ?))
                                                 + coalesce(duration, 0) * ?) <= now()
                    ORDER BY heard_at
                    LIMIT ?
                    FOR UPDATE SKIP LOCKED)
                RETURNING id""",
                (double) config.after().toMillis() / 1000,
                config.maxDoublings(),
                (double) config.perVideoSecond().toMillis() / 1000,
                limit);
    }

    /**
     * Past the horizon Twelve Labs stays the truth: the status is kept and an operator is told. Runs in transactions
     * of at most {@code stalled-batch} tasks: each holds the event-numbering lock (taken by its first event insert)
     * only for that many inserts, so webhooks are not held up behind a long backlog.
     */
    void markStalled() {
        int marked;
        do {
            marked = markStalledBatch();
        } while (marked == config.stalledBatch());
    }

    /** Marks one batch and records its events, in one transaction: a task is marked only with its event. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    int markStalledBatch() {
        List<String> stalled = Jdbc.strings(db, """
                UPDATE task SET stalled_at = now()
                WHERE id IN (
                    SELECT id FROM task
                    WHERE status NOT IN ('ready', 'failed') AND stalled_at IS NULL
                      AND created_at + make_interval(secs => ?) <= now()
                    ORDER BY created_at
                    LIMIT ?
                    FOR UPDATE SKIP LOCKED)
                RETURNING id""", (double) config.horizon().toSeconds(), config.stalledBatch());
        for (String taskId : stalled) {
            ledger.record(new Observation(
                    taskId,
                    EventSource.RECONCILER,
                    "index.task.stalled",
                    null,
                    null,
                    null,
                    null,
                    null,
                    Map.of("horizon", config.horizon().toString()),
                    null));
            registry.counter("reelhook.reconciliations", "found", "stalled").increment();
            LOG.warnf(
                    "Task %s is not terminal after %s; reconciliation stops asking (a webhook still completes it)",
                    taskId, config.horizon());
        }
        return stalled.size();
    }
}
