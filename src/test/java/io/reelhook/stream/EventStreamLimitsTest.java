package io.reelhook.stream;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.outbox.Outbox;
import io.reelhook.task.EventFilter;
import io.reelhook.task.EventMessage;
import io.reelhook.task.EventStore;
import io.reelhook.task.TaskLedger;
import io.reelhook.task.TaskStatus;
import io.reelhook.testing.Api;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.subscription.MultiSubscriber;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static io.reelhook.outbox.Topics.newTask;
import static io.reelhook.outbox.Topics.webhook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** The event stream's cap on open streams, its resume-point checks, and a fan-out that a broken subscriber survives. */
@QuarkusTest
class EventStreamLimitsTest {

    @Inject
    EventBroadcaster broadcaster;

    @Inject
    EventStore store;

    @Inject
    TaskLedger ledger;

    @Inject
    Outbox outbox;

    @ConfigProperty(name = "reelhook.stream.max-clients")
    int maxClients;

    @TestHTTPResource("/api/v1/events/stream")
    URI stream;

    @Test
    void beyondTheCapAStreamIsRefusedWith503UntilAnotherDisconnects() throws Exception {
        List<SseClient> clients = new ArrayList<>();
        try {
            int free = maxClients - broadcaster.open();
            assertThat(free).isPositive();
            for (int i = 0; i < free; i++) {
                clients.add(SseClient.connect(stream, null));
            }
            assertThat(broadcaster.open()).isEqualTo(maxClients);

            HttpResponse<String> refused = connect();
            assertThat(refused.statusCode()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
            assertThat(refused.body()).contains("\"code\":\"too_many_streams\"", "\"message\":");
            assertThat(broadcaster.open()).isEqualTo(maxClients);

            // a client that goes away gives its slot back
            clients.remove(0).close();
            await().atMost(Duration.ofSeconds(20)).until(() -> broadcaster.open() == maxClients - 1);
            clients.add(SseClient.connect(stream, null));
            assertThat(broadcaster.open()).isEqualTo(maxClients);
        } finally {
            clients.forEach(SseClient::close);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> broadcaster.open() <= maxClients - clients.size());
    }

    @Test
    void aResumePointThatIsNotASequenceOrBeyondTheLatestIsRefused() {
        long beyond = store.maxSequence() + 1_000;
        Api.given()
                .header("Last-Event-ID", "abc")
                .get("/api/v1/events/stream")
                .then()
                .statusCode(400)
                .body("code", equalTo("parameter_invalid"))
                .body("message", containsString("Last-Event-ID"));
        Api.given()
                .get("/api/v1/events/stream?after=-1")
                .then()
                .statusCode(400)
                .body("code", equalTo("parameter_invalid"))
                .body("message", containsString("negative"));
        Api.given()
                .get("/api/v1/events/stream?after=1e3")
                .then()
                .statusCode(400)
                .body("code", equalTo("parameter_invalid"));
        Api.given()
                .header("Last-Event-ID", String.valueOf(beyond))
                .get("/api/v1/events/stream")
                .then()
                .statusCode(400)
                .body("code", equalTo("parameter_invalid"))
                .body("message", containsString("beyond the latest"));
    }

    @Test
    void aSubscriberThatThrowsIsDroppedAloneAndTheOthersGoOn() {
        AtomicInteger thrown = new AtomicInteger();
        AtomicReference<Flow.Subscription> broken = new AtomicReference<>();
        broadcaster.stream(null, EventFilter.ALL).subscribe().withSubscriber(new MultiSubscriber<EventMessage>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                broken.set(subscription);
                subscription.request(Long.MAX_VALUE);
            }

            @Override
            public void onItem(EventMessage item) {
                thrown.incrementAndGet();
                throw new StackOverflowError("a subscriber that fails with an Error");
            }

            @Override
            public void onFailure(Throwable failure) {}

            @Override
            public void onCompletion() {}
        });
        AssertSubscriber<EventMessage> healthy = broadcaster.stream(null, EventFilter.ALL)
                .subscribe()
                .withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        String first = newTask();
        String second = newTask();

        ledger.record(webhook(first, TaskStatus.READY));
        // generous: on a loaded two-core machine the fan-out thread may wait for the CPU (it answers in ms when idle)
        await().atMost(Duration.ofSeconds(60)).until(() -> thrown.get() > 0);
        ledger.record(webhook(second, TaskStatus.READY));

        await().atMost(Duration.ofSeconds(60))
                .until(() -> healthy.getItems().stream().anyMatch(event -> second.equals(event.taskId())));
        assertThat(healthy.getItems()).extracting(EventMessage::taskId).contains(first, second);
        assertThat(outbox.leader()).isTrue();
        healthy.cancel();
        broken.get().cancel();
    }

    private HttpResponse<String> connect() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(stream)
                .header("Accept", "text/event-stream")
                .header("x-api-key", Api.KEY)
                .timeout(Duration.ofSeconds(20))
                .build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
