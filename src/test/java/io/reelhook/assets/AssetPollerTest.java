package io.reelhook.assets;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.db.Jdbc;
import io.reelhook.reconcile.Reconciler;
import io.reelhook.reconcile.UpstreamBudget;
import io.reelhook.testing.TwelveLabsResource;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@QuarkusTest
class AssetPollerTest {

    @Inject
    AssetPoller poller;

    @Inject
    Reconciler reconciler;

    @Inject
    UpstreamBudget budget;

    @Inject
    DataSource db;

    @ConfigProperty(name = TwelveLabsResource.PORT)
    int wiremockPort;

    WireMock twelveLabs;

    @BeforeEach
    void setUp() {
        twelveLabs = new WireMock("localhost", wiremockPort);
        twelveLabs.resetRequests();
        twelveLabs.removeMappings();
        // other tests' assets are not this test's to poll
        Jdbc.update(db, "UPDATE asset SET next_poll_at = NULL");
        Jdbc.update(db, "UPDATE indexed_asset SET next_poll_at = NULL");
        await().atMost(Duration.ofSeconds(30)).until(() -> budget.pausedUntil().isEmpty());
    }

    @Test
    void twoInstancesNeverClaimTheSameAsset() throws Exception {
        List<String> due = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            due.add(dueAsset());
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<List<String>> instance = () -> {
                List<String> mine = new ArrayList<>();
                for (List<AssetPoller.Due> batch = poller.claim(); !batch.isEmpty(); batch = poller.claim()) {
                    batch.forEach(d -> mine.add(d.id()));
                }
                return mine;
            };
            Future<List<String>> a = pool.submit(instance);
            Future<List<String>> b = pool.submit(instance);
            List<String> both = new ArrayList<>(a.get());
            both.addAll(b.get());
            assertThat(both).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(due);
            assertThat(Collections.disjoint(a.get(), b.get())).isTrue();
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void anUnchangedAnswerDoublesTheWaitAndAChangeIsAnEvent() {
        String id = dueAsset();
        twelveLabs.register(
                get("/v1.3/assets/" + id).willReturn(okJson("{\"_id\":\"" + id + "\",\"status\":\"processing\"}")));

        assertThat(poller.pollDue()).isEqualTo(1);
        assertThat(attempts(id)).isEqualTo(1);
        assertThat(waitSeconds(id)).isBetween(0.02, 0.11);
        backdate(id);
        poller.pollDue();
        assertThat(attempts(id)).isEqualTo(2);
        assertThat(waitSeconds(id)).isBetween(0.12, 0.21);
        assertThat(Jdbc.number(db, "SELECT count(*) FROM task_event WHERE asset_id = ?", List.of(id)))
                .isZero();

        twelveLabs.register(
                get("/v1.3/assets/" + id).willReturn(okJson("{\"_id\":\"" + id + "\",\"status\":\"failed\"}")));
        backdate(id);
        poller.pollDue();
        assertThat(Jdbc.strings(db, "SELECT type || ':' || previous_status FROM task_event WHERE asset_id = ?", id))
                .containsExactly("asset.failed:processing");
        // terminal: never asked again
        assertThat(Jdbc.strings(db, "SELECT coalesce(next_poll_at::text, 'never') FROM asset WHERE id = ?", id))
                .containsExactly("never");
    }

    @Test
    void aRateLimitPausesPollingAndReconciliationAlike() {
        String id = dueAsset();
        twelveLabs.register(get("/v1.3/assets/" + id)
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Retry-After", "2")
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"code\":\"too_many_requests\",\"message\":\"slow down\"}")));

        assertThat(poller.pollDue()).isZero();
        assertThat(budget.pausedUntil()).isPresent();
        int asked = twelveLabs
                .find(getRequestedFor(urlEqualTo("/v1.3/assets/" + id)))
                .size();
        backdate(id);
        assertThat(poller.pollDue()).isZero();
        assertThat(reconciler.reconcileDue()).isZero();
        assertThat(twelveLabs.find(getRequestedFor(urlEqualTo("/v1.3/assets/" + id))))
                .hasSize(asked);

        twelveLabs.register(
                get("/v1.3/assets/" + id).willReturn(okJson("{\"_id\":\"" + id + "\",\"status\":\"ready\"}")));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            backdate(id);
            poller.pollDue();
            assertThat(Jdbc.strings(db, "SELECT status FROM asset WHERE id = ?", id))
                    .containsExactly("ready");
        });
    }

    @Test
    void anIndexingThatFailedIsTriedAgainAndARefusalEndsIt() {
        String id = dueAsset();
        String refused = dueAsset();
        Jdbc.update(db, "UPDATE asset SET index_id = 'idx_retry' WHERE id = ?", id);
        Jdbc.update(db, "UPDATE asset SET index_id = 'idx_refusing' WHERE id = ?", refused);
        for (String asset : List.of(id, refused)) {
            twelveLabs.register(get("/v1.3/assets/" + asset)
                    .willReturn(okJson("{\"_id\":\"" + asset + "\",\"status\":\"ready\"}")));
        }
        twelveLabs.register(post("/v1.3/indexes/idx_retry/indexed-assets")
                .willReturn(aResponse().withStatus(503).withBody("{\"code\":\"unavailable\",\"message\":\"later\"}")));
        twelveLabs.register(post("/v1.3/indexes/idx_refusing/indexed-assets")
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"code\":\"index_not_supported\",\"message\":\"no\"}")));

        poller.pollDue();
        assertThat(Jdbc.strings(db, "SELECT status FROM asset WHERE id = ?", id))
                .containsExactly("ready");
        assertThat(due(id)).as("still to be indexed").isTrue();
        assertThat(due(refused)).as("refused for good").isFalse();

        String indexed = "ia_" + UUID.randomUUID();
        twelveLabs.register(post("/v1.3/indexes/idx_retry/indexed-assets")
                .atPriority(1)
                .willReturn(aResponse()
                        .withStatus(202)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"_id\":\"" + indexed + "\",\"asset_id\":\"" + id + "\"}")));
        backdate(id);
        poller.pollDue();
        assertThat(Jdbc.strings(db, "SELECT id FROM indexed_asset WHERE asset_id = ?", id))
                .containsExactly(indexed);
        assertThat(due(id)).isFalse();
        assertThat(Jdbc.number(db, "SELECT count(*) FROM indexed_asset WHERE asset_id = ?", List.of(refused)))
                .isZero();
    }

    private boolean due(String id) {
        return Jdbc.number(db, "SELECT count(*) FROM asset WHERE id = ? AND next_poll_at IS NOT NULL", List.of(id))
                == 1;
    }

    private String dueAsset() {
        String id = "asset_" + UUID.randomUUID();
        Jdbc.update(
                db,
                "INSERT INTO asset (id, method, status, created_at, updated_at, next_poll_at)"
                        + " VALUES (?, 'direct', 'processing', now(), now(), now() - interval '1 second')",
                id);
        return id;
    }

    private void backdate(String id) {
        Jdbc.update(
                db,
                "UPDATE asset SET next_poll_at = now() - interval '1 second' WHERE id = ? AND next_poll_at IS NOT NULL",
                id);
    }

    private long attempts(String id) {
        return Jdbc.number(db, "SELECT poll_attempts FROM asset WHERE id = ?", List.of(id));
    }

    /** How long from now the asset's next poll is due (asked right after a poll: its wait, less a few ms). */
    private double waitSeconds(String id) {
        return Double.parseDouble(
                Jdbc.strings(db, "SELECT extract(epoch FROM next_poll_at - now())::text FROM asset WHERE id = ?", id)
                        .get(0));
    }
}
