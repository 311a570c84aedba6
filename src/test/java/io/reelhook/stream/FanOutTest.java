package io.reelhook.stream;

import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.outbox.OutboxConfig;
import io.reelhook.supervision.SupervisedThread;
import io.reelhook.supervision.Workers;
import io.reelhook.supervision.WorkersHealthCheck;
import io.reelhook.task.CommitSignal;
import io.reelhook.task.EventMessage;
import io.reelhook.task.EventStore;
import io.reelhook.task.TaskLedger;
import io.reelhook.task.TaskStatus;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.reelhook.outbox.Topics.newTask;
import static io.reelhook.outbox.Topics.webhook;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The stream's fan-out: woken by commits, swept when no signal comes, and surviving a sink that throws. */
@QuarkusTest
class FanOutTest {

    @Inject
    LiveFeed feed;

    @Inject
    TaskLedger ledger;

    @Inject
    EventStore store;

    @Inject
    OutboxConfig config;

    @Inject
    Workers workers;

    @Inject
    @Liveness
    WorkersHealthCheck liveness;

    @Test
    void aFanOutThatHearsNoCommitStillHandsOverEventsAtItsSweep() {
        List<EventMessage> received = new CopyOnWriteArrayList<>();
        // a signal of its own that nobody raises: only the sweep wakes it
        try (FanOut deaf = new FanOut(store, received::addAll, new CommitSignal(), config, workers).start()) {
            String first = newTask();
            String second = newTask();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                // recorded until the fan-out has surely read its starting position
                ledger.record(webhook(first, TaskStatus.READY));
                return received.stream().anyMatch(event -> first.equals(event.taskId()));
            });
            ledger.record(webhook(second, TaskStatus.PENDING));
            ledger.record(webhook(second, TaskStatus.READY));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> received.stream()
                                    .filter(event -> second.equals(event.taskId()))
                                    .count()
                            == 2);
            assertThat(received).extracting(EventMessage::sequence).isSorted().doesNotHaveDuplicates();
        }
    }

    @Test
    void aFanOutWhoseSinkThrowsAnErrorIsRestartedAndReportedDeadWhileItKeepsDying() {
        assertThat(liveness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
        AtomicBoolean broken = new AtomicBoolean(true);
        List<EventMessage> received = new CopyOnWriteArrayList<>();
        String task = newTask();
        try (FanOut other = feed.fanOut(events -> {
                    if (broken.get()) {
                        throw new StackOverflowError("a sink that fails with an Error");
                    }
                    received.addAll(events);
                })
                .start()) {
            SupervisedThread thread = other.thread();
            // an event committed once the other fan-out reads makes it fail; then it fails on the same one again
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> {
                        ledger.record(webhook(newTask(), TaskStatus.READY));
                        return thread.crashesInARow() > 0;
                    });
            await().atMost(Duration.ofSeconds(30)).until(() -> thread.crashesInARow() >= SupervisedThread.DEAD_AFTER);
            assertThat(thread.alive()).isFalse();
            assertThat(thread.lastCrash()).isInstanceOf(StackOverflowError.class);
            HealthCheckResponse live = liveness.call();
            assertThat(live.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
            assertThat(live.getData().orElseThrow().values())
                    .anySatisfy(state -> assertThat(state.toString()).startsWith("dead: java.lang.StackOverflowError"));

            broken.set(false);
            ledger.record(webhook(task, TaskStatus.READY));
            // restarted once more, it hands over what it failed on and what came since
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> received.stream().anyMatch(event -> task.equals(event.taskId())));
            // this instance's own fan-out was not affected
            assertThat(feed.running().thread().alive()).isTrue();
            assertThat(feed.running().thread().crashesInARow()).isZero();
        }
        assertThat(liveness.call().getStatus()).isEqualTo(HealthCheckResponse.Status.UP);
    }
}
