package io.reelhook.outbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.examples.IndexingCompletedExample;
import io.reelhook.task.TaskLedger;
import io.reelhook.task.TaskStatus;
import io.reelhook.testing.Api;
import io.reelhook.testing.KafkaResource;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.Set;

import static io.reelhook.outbox.Topics.INDEXING_COMPLETED;
import static io.reelhook.outbox.Topics.TASK_EVENTS;
import static io.reelhook.outbox.Topics.header;
import static io.reelhook.outbox.Topics.newTask;
import static io.reelhook.outbox.Topics.readAll;
import static io.reelhook.outbox.Topics.webhook;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

@QuarkusTest
class OutboxOperationsTest {

    @Inject
    TaskLedger ledger;

    @Inject
    DataSource db;

    @Inject
    IndexingCompletedExample example;

    @Inject
    MeterRegistry registry;

    @Inject
    @Readiness
    OutboxHealthCheck check;

    @Test
    void readinessAndMetricsReportTheOutbox() {
        double events = published(TASK_EVENTS);
        double completions = published(INDEXING_COMPLETED);
        String task = newTask();
        ledger.record(webhook(task, TaskStatus.READY));
        await().atMost(Duration.ofSeconds(30)).until(() -> new OutboxRows(db).allPublished(Set.of(task), 1));

        // the event went to both topics
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(published(TASK_EVENTS)).isGreaterThanOrEqualTo(events + 1);
            assertThat(published(INDEXING_COMPLETED)).isGreaterThanOrEqualTo(completions + 1);
        });

        io.reelhook.testing.Management.given()
                .get("/q/health/ready")
                .then()
                .statusCode(200)
                .body("checks.find { it.name == 'outbox' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'outbox' }.data.leader", equalTo(true));
        io.reelhook.testing.Management.given()
                .get("/q/metrics")
                .then()
                .statusCode(200)
                .body(containsString("reelhook_outbox_pending"))
                .body(containsString("reelhook_outbox_lag_seconds"))
                .body(containsString("reelhook_events_published_total{topic=\"twelvelabs.task-events\"}"))
                .body(containsString("reelhook_events_published_total{topic=\"twelvelabs.indexing-completed\"}"));
    }

    private double published(String topic) {
        return registry.counter("reelhook.events.published", "topic", topic).count();
    }

    @Test
    void readinessIsDownWhileAnEventWaitsLongerThanTheMaximumLag() throws Exception {
        String task = newTask();
        KafkaResource.halt();
        try {
            ledger.record(webhook(task, TaskStatus.READY));
            new OutboxRows(db)
                    .execute("UPDATE task_event SET received_at = now() - interval '10 minutes' " + "WHERE task_id = '"
                            + task + "'");
            // asked directly: the endpoint's Kafka checks wait for their own timeouts while the broker is away
            HealthCheckResponse outbox = check.call();
            assertThat(outbox.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            assertThat(outbox.getData().orElseThrow().get("oldest_seconds"))
                    .isInstanceOf(Long.class)
                    .satisfies(age -> assertThat((Long) age).isGreaterThanOrEqualTo(600));
        } finally {
            KafkaResource.restart();
        }
        await().atMost(Duration.ofSeconds(60))
                .untilAsserted(() -> io.reelhook.testing.Management.given()
                        .get("/q/health/ready")
                        .then()
                        .statusCode(200)
                        .body("checks.name", hasItem("outbox")));
    }

    @Test
    void republishResendsStoredEventsWithTheirEventIds() throws Exception {
        String task = newTask();
        ledger.record(webhook(task, TaskStatus.INDEXING));
        ledger.record(webhook(task, TaskStatus.READY));
        await().atMost(Duration.ofSeconds(30)).until(() -> new OutboxRows(db).allPublished(Set.of(task), 2));
        long last = new OutboxRows(db).of(Set.of(task)).get(1).sequence();

        Api.admin()
                .post("/api/v1/admin/republish?task_id=" + task)
                .then()
                .statusCode(200)
                .body("republished", equalTo(2));
        Api.admin()
                .post("/api/v1/admin/republish?from_sequence=" + last + "&to_sequence=" + last)
                .then()
                .statusCode(200)
                .body("republished", equalTo(1));
        Api.admin()
                .post("/api/v1/admin/republish")
                .then()
                .statusCode(400)
                .body("code", equalTo("parameter_not_provided"));
        given().post("/api/v1/admin/republish?task_id=" + task)
                .then()
                .statusCode(401)
                .body("code", equalTo("api_key_invalid"));

        var ids = new OutboxRows(db)
                .of(Set.of(task)).stream().map(OutboxRows.Row::eventId).toList();
        assertThat(readAll(TASK_EVENTS, Set.of(task)))
                .extracting(r -> header(r, "ce_id"))
                .containsExactly(ids.get(0), ids.get(1), ids.get(0), ids.get(1), ids.get(1));
        assertThat(readAll(INDEXING_COMPLETED, Set.of(task))).hasSize(3);
    }

    @Test
    void theExampleSubscriberHandlesEachCompletedTask() throws Exception {
        String task = newTask();
        ledger.record(webhook(task, TaskStatus.READY));
        await().atMost(Duration.ofSeconds(30)).until(() -> new OutboxRows(db).allPublished(Set.of(task), 1));
        String eventId = new OutboxRows(db).of(Set.of(task)).get(0).eventId();

        await().atMost(Duration.ofSeconds(60)).until(() -> example.handled(eventId));
    }
}
