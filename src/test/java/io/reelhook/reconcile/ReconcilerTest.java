package io.reelhook.reconcile;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.task.EventSource;
import io.reelhook.task.Observation;
import io.reelhook.task.Task;
import io.reelhook.task.TaskLedger;
import io.reelhook.task.TaskStatus;
import io.reelhook.testing.Api;
import io.reelhook.testing.TwelveLabsResource;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class ReconcilerTest {

    @Inject
    Reconciler reconciler;

    @Inject
    TaskLedger ledger;

    @Inject
    ReconcileTasks tasks;

    @ConfigProperty(name = TwelveLabsResource.PORT)
    int wiremockPort;

    WireMock twelveLabs;

    @BeforeEach
    void setUp() {
        twelveLabs = new WireMock("localhost", wiremockPort);
        twelveLabs.resetRequests();
        twelveLabs.removeMappings();
        tasks.quietOtherTasks();
    }

    @Test
    void aLostReadyWebhookIsFoundAndCompletesTheTaskOnce() {
        String taskId = tasks.silentTask(20);
        upstreamSays(taskId, "ready");
        OffsetDateTime before = OffsetDateTime.now().minusSeconds(1);

        reconcileUntilChecked(taskId);

        Task task = tasks.find(taskId);
        assertThat(task.status).isEqualTo("ready");
        assertThat(task.reconciledAt).isAfter(before);
        Api.given()
                .get("/api/v1/tasks/" + taskId)
                .then()
                .statusCode(200)
                .body("task.status", org.hamcrest.Matchers.equalTo("ready"))
                .body("reconciled_at", org.hamcrest.Matchers.notNullValue())
                .body("events.source", org.hamcrest.Matchers.contains("upload", "reconciler"));
        assertThat(tasks.events(taskId))
                .extracting(e -> e.source() + ":" + e.status() + ":" + e.completes())
                .containsExactly("upload:validating:false", "reconciler:ready:true");

        // the late webhook adds history, not a second completed event
        ledger.record(webhook(taskId, TaskStatus.READY));
        assertThat(tasks.events(taskId))
                .extracting(e -> e.source() + ":" + e.completes())
                .containsExactly("upload:false", "reconciler:true", "webhook:false");
    }

    @Test
    void aFruitlessCheckDoublesTheWaitAndRecordsNothing() {
        String taskId = tasks.silentTask(20);
        upstreamSays(taskId, "validating");

        reconcileUntilChecked(taskId);
        assertThat(tasks.events(taskId)).hasSize(1);
        assertThat(tasks.find(taskId).reconcileAttempts).isEqualTo(1);

        // 20 min of silence covered the first wait (15 min), not the doubled one (30 min)
        tasks.backdate(taskId, 20);
        assertThat(reconciler.claim(100)).doesNotContain(taskId);
        tasks.backdate(taskId, 31);
        assertThat(reconciler.claim(100)).contains(taskId);
    }

    @Test
    void aLongVideoWaitsLonger() {
        String taskId = tasks.silentTask(20);
        tasks.setDuration(taskId, 3600);
        assertThat(reconciler.claim(100)).doesNotContain(taskId);
        tasks.backdate(taskId, 15 + 61);
        assertThat(reconciler.claim(100)).contains(taskId);
    }

    @Test
    void rateLimitingPausesReconciliationWhichThenFinishes() {
        String taskId = tasks.silentTask(20);
        String scenario = "limited-" + taskId;
        twelveLabs.register(get(urlEqualTo("/v1.3/tasks/" + taskId))
                .inScenario(scenario)
                .whenScenarioStateIs("Started")
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Retry-After", "1")
                        .withBody("{\"code\":\"too_many_requests\",\"message\":\"slow down\"}"))
                .willSetStateTo("limited-again"));
        for (String state : List.of("limited-again", "limited-thrice", "limited-four")) {
            String next = switch (state) {
                case "limited-again" -> "limited-thrice";
                case "limited-thrice" -> "limited-four";
                default -> "open";
            };
            twelveLabs.register(get(urlEqualTo("/v1.3/tasks/" + taskId))
                    .inScenario(scenario)
                    .whenScenarioStateIs(state)
                    .willReturn(aResponse()
                            .withStatus(429)
                            .withHeader("Retry-After", "1")
                            .withBody("{\"code\":\"too_many_requests\",\"message\":\"slow down\"}"))
                    .willSetStateTo(next));
        }
        twelveLabs.register(get(urlEqualTo("/v1.3/tasks/" + taskId))
                .inScenario(scenario)
                .whenScenarioStateIs("open")
                .willReturn(okJson(task(taskId, "ready"))));

        assertThat(reconciler.reconcileDue()).isZero();
        assertThat(tasks.find(taskId).status).isEqualTo("validating");
        // paused: nothing is asked until Retry-After has passed
        int asked =
                twelveLabs.find(getRequestedFor(urlMatching("/v1.3/tasks/.*"))).size();
        tasks.backdate(taskId, 20);
        reconciler.reconcileDue();
        assertThat(twelveLabs.find(getRequestedFor(urlMatching("/v1.3/tasks/.*"))))
                .hasSize(asked);

        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(20))
                .untilAsserted(() -> {
                    tasks.backdate(taskId, 24 * 60);
                    reconciler.reconcileDue();
                    assertThat(tasks.find(taskId).status).isEqualTo("ready");
                });
    }

    @Test
    void twoInstancesNeverClaimTheSameTask() throws Exception {
        List<String> silent = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            silent.add(tasks.silentTask(20));
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<List<String>> instance = () -> {
                List<String> mine = new ArrayList<>();
                for (List<String> batch = reconciler.claim(3); !batch.isEmpty(); batch = reconciler.claim(3)) {
                    mine.addAll(batch);
                }
                return mine;
            };
            Future<List<String>> a = pool.submit(instance);
            Future<List<String>> b = pool.submit(instance);
            List<String> both = new ArrayList<>(a.get());
            both.addAll(b.get());
            assertThat(both).doesNotHaveDuplicates().containsAll(silent);
            assertThat(Collections.disjoint(a.get(), b.get())).isTrue();
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void pastTheHorizonATaskIsReportedStalledAndLaterCompletedByAWebhook() {
        String taskId = tasks.silentTask(20);
        tasks.ageTask(taskId, 25 * 60);
        reconciler.reconcileDue();

        Task task = tasks.find(taskId);
        assertThat(task.status).isEqualTo("validating");
        assertThat(task.stalledAt).isNotNull();
        assertThat(tasks.events(taskId))
                .extracting(e -> e.type() + ":" + e.status())
                .containsExactly("index.task.validating:validating", "index.task.stalled:validating");
        twelveLabs.verifyThat(0, getRequestedFor(urlEqualTo("/v1.3/tasks/" + taskId)));
        io.reelhook.testing.Management.given().get("/q/health/well").then().statusCode(503);

        ledger.record(webhook(taskId, TaskStatus.READY));
        assertThat(tasks.find(taskId).status).isEqualTo("ready");
        io.reelhook.testing.Management.given().get("/q/health/well").then().statusCode(200);
    }

    @Test
    void aStatusBehindReelhooksAddsNoEventAndKeepsTheGrownWait() {
        String taskId = tasks.silentTask(20);
        ledger.record(webhook(taskId, TaskStatus.INDEXING));
        tasks.backdate(taskId, 20);
        // a stale answer: Reelhook already knows the task is indexing
        upstreamSays(taskId, "pending");

        reconcileUntilChecked(taskId);

        assertThat(tasks.events(taskId))
                .extracting(e -> e.source() + ":" + e.status())
                .containsExactly("upload:validating", "webhook:indexing");
        Task task = tasks.find(taskId);
        assertThat(task.status).isEqualTo("indexing");
        assertThat(task.reconcileAttempts).isEqualTo(1);
    }

    @Test
    void stalledTasksAreMarkedInTransactionsOfBoundedSize() {
        List<String> old = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            String taskId = tasks.silentTask(20);
            tasks.ageTask(taskId, 25 * 60);
            old.add(taskId);
        }

        reconciler.markStalled();

        assertThat(old).allSatisfy(taskId -> {
            assertThat(tasks.find(taskId).stalledAt).isNotNull();
            assertThat(tasks.events(taskId))
                    .extracting(e -> e.type())
                    .containsExactly("index.task.validating", "index.task.stalled");
        });
        // at most 5 per transaction in the test profile (reelhook.reconcile.stalled-batch), not one for all twelve
        assertThat(tasks.writers(old)).isBetween(3L, 4L);
        // completed, so that the stalled-tasks check of the other tests is theirs alone
        old.forEach(taskId -> ledger.record(webhook(taskId, TaskStatus.READY)));
    }

    /** Reconciles until the task was asked about once (other tests may have spent this minute's budget). */
    private void reconcileUntilChecked(String taskId) {
        for (int i = 0; i < 50 && tasks.find(taskId).reconciledAt == null; i++) {
            reconciler.reconcileDue();
        }
        twelveLabs.verifyThat(1, getRequestedFor(urlEqualTo("/v1.3/tasks/" + taskId)));
    }

    /** Twelve Labs' notification that the task reached {@code status}. */
    private static Observation webhook(String taskId, TaskStatus status) {
        return new Observation(
                taskId,
                EventSource.WEBHOOK,
                "index.task." + status.wire(),
                status,
                "whe_" + taskId,
                null,
                null,
                null,
                Map.of(),
                "{\"id\":\"whe_" + taskId + "\"}");
    }

    private void upstreamSays(String taskId, String status) {
        twelveLabs.register(get(urlEqualTo("/v1.3/tasks/" + taskId)).willReturn(okJson(task(taskId, status))));
    }

    private static String task(String taskId, String status) {
        return "{\"_id\":\"" + taskId + "\",\"index_id\":\"idx\",\"video_id\":\"vid_" + taskId + "\",\"status\":\""
                + status + "\",\"system_metadata\":{\"duration\":12.5}}";
    }
}
