package io.reelhook.reconcile;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.task.EventSource;
import io.reelhook.task.Observation;
import io.reelhook.task.Task;
import io.reelhook.task.TaskEvent;
import io.reelhook.task.TaskLedger;
import io.reelhook.task.TaskStatus;
import io.reelhook.testing.Api;
import io.reelhook.testing.TwelveLabsResource;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
    EntityManager em;

    @ConfigProperty(name = TwelveLabsResource.PORT)
    int wiremockPort;

    WireMock twelveLabs;

    @BeforeEach
    void setUp() {
        twelveLabs = new WireMock("localhost", wiremockPort);
        twelveLabs.resetRequests();
        twelveLabs.removeMappings();
        quietOtherTasks();
    }

    @Test
    void aLostReadyWebhookIsFoundAndCompletesTheTaskOnce() {
        String taskId = silentTask(20);
        upstreamSays(taskId, "ready");

        reconcileUntilChecked(taskId);

        Task task = find(taskId);
        assertThat(task.status).isEqualTo("ready");
        assertThat(task.reconciledAt).isNotNull();
        Api.given().get("/api/v1/tasks/" + taskId).then().statusCode(200)
                .body("task.status", org.hamcrest.Matchers.equalTo("ready"))
                .body("reconciled_at", org.hamcrest.Matchers.notNullValue())
                .body("events.source", org.hamcrest.Matchers.contains("upload", "reconciler"));
        assertThat(events(taskId)).extracting(e -> e.source + ":" + e.status + ":" + e.completes)
                .containsExactly("upload:validating:false", "reconciler:ready:true");

        // the late webhook adds history, not a second completed event
        ledger.record(new Observation(taskId, EventSource.WEBHOOK, "index.task.ready", TaskStatus.READY,
                "whe_" + taskId, null, null, null, Map.of(), Map.of("id", "whe_" + taskId)));
        assertThat(events(taskId)).extracting(e -> e.source + ":" + e.completes)
                .containsExactly("upload:false", "reconciler:true", "webhook:false");
    }

    @Test
    void aFruitlessCheckDoublesTheWaitAndRecordsNothing() {
        String taskId = silentTask(20);
        upstreamSays(taskId, "validating");

        reconcileUntilChecked(taskId);
        assertThat(events(taskId)).hasSize(1);
        assertThat(find(taskId).reconcileAttempts).isEqualTo(1);

        // 20 min of silence covered the first wait (15 min), not the doubled one (30 min)
        backdate(taskId, 20);
        assertThat(reconciler.claim(100)).doesNotContain(taskId);
        backdate(taskId, 31);
        assertThat(reconciler.claim(100)).contains(taskId);
    }

    @Test
    void aLongVideoWaitsLonger() {
        String taskId = silentTask(20);
        setDuration(taskId, 3600);
        assertThat(reconciler.claim(100)).doesNotContain(taskId);
        backdate(taskId, 15 + 61);
        assertThat(reconciler.claim(100)).contains(taskId);
    }

    @Test
    void rateLimitingPausesReconciliationWhichThenFinishes() {
        String taskId = silentTask(20);
        String scenario = "limited-" + taskId;
        twelveLabs.register(get(urlEqualTo("/v1.3/tasks/" + taskId)).inScenario(scenario)
                .whenScenarioStateIs("Started").willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                        .withBody("{\"code\":\"too_many_requests\",\"message\":\"slow down\"}"))
                .willSetStateTo("limited-again"));
        for (String state : List.of("limited-again", "limited-thrice", "limited-four")) {
            String next = switch (state) {
                case "limited-again" -> "limited-thrice";
                case "limited-thrice" -> "limited-four";
                default -> "open";
            };
            twelveLabs.register(get(urlEqualTo("/v1.3/tasks/" + taskId)).inScenario(scenario)
                    .whenScenarioStateIs(state).willReturn(aResponse().withStatus(429).withHeader("Retry-After", "1")
                            .withBody("{\"code\":\"too_many_requests\",\"message\":\"slow down\"}"))
                    .willSetStateTo(next));
        }
        twelveLabs.register(get(urlEqualTo("/v1.3/tasks/" + taskId)).inScenario(scenario).whenScenarioStateIs("open")
                .willReturn(okJson(task(taskId, "ready"))));

        assertThat(reconciler.reconcileDue()).isZero();
        assertThat(find(taskId).status).isEqualTo("validating");
        // paused: nothing is asked until Retry-After has passed
        int asked = twelveLabs.find(getRequestedFor(urlMatching("/v1.3/tasks/.*"))).size();
        backdate(taskId, 20);
        reconciler.reconcileDue();
        assertThat(twelveLabs.find(getRequestedFor(urlMatching("/v1.3/tasks/.*")))).hasSize(asked);

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).untilAsserted(() -> {
            backdate(taskId, 24 * 60);
            reconciler.reconcileDue();
            assertThat(find(taskId).status).isEqualTo("ready");
        });
    }

    @Test
    void twoInstancesNeverClaimTheSameTask() throws Exception {
        List<String> tasks = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            tasks.add(silentTask(20));
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
            assertThat(both).doesNotHaveDuplicates().containsAll(tasks);
            assertThat(Collections.disjoint(a.get(), b.get())).isTrue();
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void pastTheHorizonATaskIsReportedStalledAndLaterCompletedByAWebhook() {
        String taskId = silentTask(20);
        ageTask(taskId, 25 * 60);
        reconciler.reconcileDue();

        Task task = find(taskId);
        assertThat(task.status).isEqualTo("validating");
        assertThat(task.stalledAt).isNotNull();
        assertThat(events(taskId)).extracting(e -> e.type + ":" + e.status)
                .containsExactly("index.task.validating:validating", "index.task.stalled:validating");
        twelveLabs.verifyThat(0, getRequestedFor(urlEqualTo("/v1.3/tasks/" + taskId)));
        io.reelhook.testing.Management.given().get("/q/health/well").then().statusCode(503);

        ledger.record(new Observation(taskId, EventSource.WEBHOOK, "index.task.ready", TaskStatus.READY,
                "whe_" + taskId, null, null, null, Map.of(), Map.of("id", "whe_" + taskId)));
        assertThat(find(taskId).status).isEqualTo("ready");
        io.reelhook.testing.Management.given().get("/q/health/well").then().statusCode(200);
    }

    private void reconcileUntilChecked(String taskId) {
        for (int i = 0; i < 50 && find(taskId).reconciledAt == null; i++) {
            reconciler.reconcileDue();
        }
    }

    private void upstreamSays(String taskId, String status) {
        twelveLabs.register(get(urlEqualTo("/v1.3/tasks/" + taskId)).willReturn(okJson(task(taskId, status))));
    }

    private static String task(String taskId, String status) {
        return "{\"_id\":\"" + taskId + "\",\"index_id\":\"idx\",\"video_id\":\"vid_" + taskId + "\",\"status\":\""
                + status + "\",\"system_metadata\":{\"duration\":12.5}}";
    }

    /** A task uploaded {@code minutes} ago that nobody has heard of since. */
    String silentTask(int minutes) {
        String taskId = "task_" + UUID.randomUUID();
        Task task = new Task();
        task.id = taskId;
        task.indexId = "idx";
        ledger.recordUpload(task);
        backdate(taskId, minutes);
        return taskId;
    }

    @Transactional
    void backdate(String taskId, int minutes) {
        em.createNativeQuery("UPDATE task SET heard_at = now() - make_interval(mins => ?2), "
                        + "reconciled_at = CASE WHEN reconciled_at IS NULL THEN NULL ELSE now() - make_interval(mins => ?2) END "
                        + "WHERE id = ?1")
                .setParameter(1, taskId).setParameter(2, minutes).executeUpdate();
    }

    @Transactional
    void ageTask(String taskId, int minutes) {
        em.createNativeQuery("UPDATE task SET created_at = now() - make_interval(mins => ?2) WHERE id = ?1")
                .setParameter(1, taskId).setParameter(2, minutes).executeUpdate();
    }

    @Transactional
    void setDuration(String taskId, double seconds) {
        em.createNativeQuery("UPDATE task SET duration = ?2 WHERE id = ?1")
                .setParameter(1, taskId).setParameter(2, seconds).executeUpdate();
    }

    /** Other tests leave open tasks behind; keep them out of these tests' claims (next check in a century). */
    @Transactional
    void quietOtherTasks() {
        em.createNativeQuery("UPDATE task SET reconciled_at = now() + interval '100 years' "
                + "WHERE status NOT IN ('ready', 'failed')").executeUpdate();
    }

    @Transactional
    Task find(String taskId) {
        Task task = Task.findById(taskId);
        em.detach(task);
        return task;
    }

    @Transactional
    List<TaskEvent> events(String taskId) {
        return TaskEvent.list("taskId = ?1 order by id", taskId);
    }
}
