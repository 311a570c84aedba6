package io.reelhook.assets;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.reelhook.db.Jdbc;
import io.reelhook.reconcile.UpstreamBudget;
import io.reelhook.task.EventSource;
import io.reelhook.twelvelabs.AssetsClient;
import io.reelhook.twelvelabs.UpstreamException;
import io.reelhook.twelvelabs.UpstreamUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.jboss.logging.Logger;

import javax.sql.DataSource;
import java.util.ArrayList;
import java.util.List;

/**
 * Learns asset and indexed-asset statuses by asking Twelve Labs, which documents no webhook for them: soon after a
 * change, less often after each unchanged answer (up to {@code poll-max}), never after a terminal status. Every
 * instance runs it; a claimed row is leased, so that two instances never ask about the same one at once. Requests
 * come out of the same per-minute budget as reconciliation, and a 429 pauses both.
 */
@ApplicationScoped
public class AssetPoller {

    private static final Logger LOG = Logger.getLogger(AssetPoller.class);
    /** How long a claim keeps other instances off a row: longer than a poll with its retries takes. */
    private static final int LEASE_SECONDS = 180;

    private final DataSource db;
    private final AssetsClient twelveLabs;
    private final AssetLedger ledger;
    private final IndexedAssets indexing;
    private final UpstreamBudget budget;
    private final AssetsConfig config;
    private final MeterRegistry registry;

    AssetPoller(
            DataSource db,
            AssetsClient twelveLabs,
            AssetLedger ledger,
            IndexedAssets indexing,
            UpstreamBudget budget,
            AssetsConfig config,
            MeterRegistry registry) {
        this.db = db;
        this.twelveLabs = twelveLabs;
        this.ledger = ledger;
        this.indexing = indexing;
        this.budget = budget;
        this.config = config;
        this.registry = registry;
    }

    @Scheduled(
            every = "${reelhook.asset.poll-every}",
            delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        pollDue();
    }

    /** Asks about the assets and indexed assets that are due, within the budget; returns how many it asked about. */
    public int pollDue() {
        int asked = 0;
        for (Due due : claim()) {
            try {
                poll(due);
                asked++;
            } catch (UpstreamException e) {
                if (e.status() == 429) {
                    budget.rateLimited(e);
                    registry.counter("reelhook.asset.polls", "found", "rate_limited")
                            .increment();
                    return asked;
                }
                LOG.warnf("Polling %s %s: Twelve Labs answered %d %s", due.kind(), due.id(), e.status(), e.code());
                registry.counter("reelhook.asset.polls", "found", "error").increment();
            } catch (UpstreamUnavailableException e) {
                LOG.warnf("Polling %s %s: %s", due.kind(), due.id(), e.getMessage());
                registry.counter("reelhook.asset.polls", "found", "unreachable").increment();
                return asked;
            }
        }
        return asked;
    }

    private void poll(Due due) {
        if (due.kind() == Progress.Kind.ASSET && "ready".equals(due.status())) {
            // ready, and to be indexed: an earlier attempt to index it failed
            index(due.id());
        } else if (due.kind() == Progress.Kind.ASSET) {
            JsonNode asset = twelveLabs.getAsset(due.id());
            count(asset);
            ledger.observed(due.id(), asset, EventSource.RECONCILER)
                    .filter(moved -> "ready".equals(moved.event().status()) && moved.indexId() != null)
                    .ifPresent(ready -> index(ready.assetId()));
        } else {
            JsonNode indexed = twelveLabs.getIndexedAsset(due.indexId(), due.id());
            count(indexed);
            ledger.indexedObserved(due.id(), indexed, EventSource.RECONCILER);
        }
    }

    /**
     * Makes the indexed asset that the asset's {@code index_id} asked for. A refusal other than a rate limit or an
     * outage is final (the log says why); those are tried again at the asset's next poll.
     */
    private void index(String assetId) {
        AssetLedger.IndexRequest request = ledger.indexRequest(assetId).orElse(null);
        if (request == null) {
            ledger.settled(assetId);
            return;
        }
        try {
            indexing.indexReady(assetId, request.indexId(), request.enableVideoStream());
        } catch (UpstreamException e) {
            if (e instanceof UpstreamException.Transient || e.status() == 429) {
                throw e;
            }
            LOG.warnf(
                    "Twelve Labs refused to index asset %s into %s: %d %s %s",
                    assetId, request.indexId(), e.status(), e.code(), e.getMessage());
        }
        ledger.settled(assetId);
    }

    private void count(JsonNode answer) {
        registry.counter("reelhook.asset.polls", "found", answer.path("status").asText("unknown"))
                .increment();
    }

    record Due(Progress.Kind kind, String id, String indexId, String status) {}

    /** Claims due rows, assets first, as many as the budget grants. */
    List<Due> claim() {
        int allowance = budget.take(Integer.MAX_VALUE);
        List<Due> due = new ArrayList<>();
        if (allowance > 0) {
            claimed(allowance, due);
            budget.refund(allowance - due.size());
        }
        return due;
    }

    @Transactional
    void claimed(int limit, List<Due> due) {
        for (String row : Jdbc.strings(
                db, """
                UPDATE asset SET next_poll_at = now() + make_interval(secs => ?)
                WHERE id IN (
                    SELECT id FROM asset
                    WHERE next_poll_at <= now() AND (status = 'processing' OR status = 'ready' AND index_id IS NOT NULL)
                      AND created_at > now() - make_interval(secs => ?)
                    ORDER BY next_poll_at
                    LIMIT ?
                    FOR UPDATE SKIP LOCKED)
                RETURNING status || ' ' || id""", LEASE_SECONDS, (double) config.pollHorizon().toSeconds(), limit)) {
            int space = row.indexOf(' ');
            due.add(new Due(Progress.Kind.ASSET, row.substring(space + 1), null, row.substring(0, space)));
        }
        if (due.size() == limit) {
            return;
        }
        for (String row : Jdbc.strings(
                db, """
                UPDATE indexed_asset SET next_poll_at = now() + make_interval(secs => ?)
                WHERE id IN (
                    SELECT id FROM indexed_asset
                    WHERE status NOT IN ('ready', 'failed') AND next_poll_at <= now()
                      AND created_at > now() - make_interval(secs => ?)
                    ORDER BY next_poll_at
                    LIMIT ?
                    FOR UPDATE SKIP LOCKED)
                RETURNING index_id || ' ' || id""", LEASE_SECONDS, (double) config.pollHorizon().toSeconds(), limit - due.size())) {
            int space = row.indexOf(' ');
            due.add(new Due(Progress.Kind.INDEXED_ASSET, row.substring(space + 1), row.substring(0, space), null));
        }
    }
}
