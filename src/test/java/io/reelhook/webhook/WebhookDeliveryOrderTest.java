package io.reelhook.webhook;

import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.task.Task;
import io.reelhook.task.TaskEvent;
import io.reelhook.task.TaskStatus;
import io.reelhook.testing.EventRows;
import io.reelhook.testing.TaskRows;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.reelhook.webhook.Webhooks.notification;
import static io.reelhook.webhook.Webhooks.post;
import static org.assertj.core.api.Assertions.assertThat;

/** The real endpoint and ledger under reordered, repeated and concurrent deliveries (LedgerPlanTest's twin). */
@QuarkusTest
class WebhookDeliveryOrderTest {

    @Inject
    TaskRows taskRows;

    @Inject
    EventRows eventRows;

    private static final int ROUNDS = 3;

    @Test
    void reorderedAndRepeatedDeliveriesKeepEveryTaskConsistent() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                List<String> tasks = List.of("task_" + UUID.randomUUID(), "task_" + UUID.randomUUID());
                List<String> notifications = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    TaskStatus status = TaskStatus.values()[random.nextInt(TaskStatus.values().length)];
                    notifications.add(notification(
                            "whe_" + UUID.randomUUID(),
                            tasks.get(random.nextInt(tasks.size())),
                            "index.task." + status.wire(),
                            status.wire()));
                }
                List<String> deliveries = new ArrayList<>(notifications);
                for (int i = 0; i < notifications.size(); i++) {
                    deliveries.add(notifications.get(random.nextInt(notifications.size())));
                }
                Collections.shuffle(deliveries, random);
                List<Callable<Integer>> posts = deliveries.stream()
                        .<Callable<Integer>>map(
                                body -> () -> post(body).extract().statusCode())
                        .toList();
                for (Future<Integer> status : pool.invokeAll(posts)) {
                    assertThat(status.get()).as("seed %d", seed).isEqualTo(200);
                }
                for (String task : tasks) {
                    assertConsistent(
                            task,
                            notifications.stream().filter(n -> n.contains(task)).count(),
                            seed);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void assertConsistent(String taskId, long distinct, long seed) {
        List<TaskEvent> events = eventRows.ofTask(taskId);
        assertThat(events)
                .as("seed %d", seed)
                .hasSize((int) distinct)
                .extracting(e -> e.notificationId())
                .doesNotHaveDuplicates();
        assertThat(events.stream().filter(e -> e.completes()))
                .as("seed %d", seed)
                .hasSizeLessThanOrEqualTo(1);
        TaskStatus current = null;
        for (TaskEvent event : events) {
            if (event.applied()) {
                TaskStatus next = TaskStatus.parse(event.status()).orElseThrow();
                assertThat(current == null || current.canMoveTo(next))
                        .as("seed %d: %s -> %s", seed, current, next)
                        .isTrue();
                current = next;
            }
        }
        if (current != null) {
            assertThat(task(taskId).status).as("seed %d", seed).isEqualTo(current.wire());
        }
    }

    Task task(String taskId) {
        return taskRows.find(taskId);
    }
}
