package io.reelhook.task;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger's decisions over arbitrary deliveries: notifications duplicated and reordered, cut into arbitrary
 * group-commit batches, applied the way {@link LedgerStore} applies them.
 */
class LedgerPlanTest {

    private static final OffsetDateTime NOW = OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);

    /** Deliveries (with redeliveries, in any order) and where the batches end. */
    record Run(List<Observation> deliveries, Set<Integer> cuts) {}

    /** What the ledger holds after a run: every event stored, and each task's state. */
    record Ledger(List<TaskEvent> events, List<TaskEvent> results, Map<String, TaskStatus> statuses) {}

    @Property
    void statusNeverGoesBackwardsAndTerminalIsFinal(@ForAll("runs") Run run) {
        Ledger ledger = replay(run.deliveries(), run.cuts());
        Map<String, List<TaskEvent>> byTask = ledger.events().stream()
                .collect(Collectors.groupingBy(e -> e.taskId(), LinkedHashMap::new, Collectors.toList()));
        byTask.forEach((task, events) -> {
            TaskStatus current = null;
            for (TaskEvent event : events) {
                TaskStatus status = TaskStatus.parse(event.status()).orElseThrow();
                assertThat(event.previousStatus()).isEqualTo(current == null ? null : current.wire());
                if (event.applied()) {
                    assertThat(current == null || current.canMoveTo(status)).isTrue();
                    current = status;
                } else if (current != null && event.notificationId() != null) {
                    assertThat(current.canMoveTo(status)).isFalse();
                }
                if (current == null) {
                    current = status;
                }
            }
            assertThat(ledger.statuses().get(task)).isEqualTo(current);
            assertThat(events.stream().filter(e -> e.completes())).hasSizeLessThanOrEqualTo(1);
        });
    }

    @Property
    void everyDistinctNotificationIsInTheHistoryExactlyOnceAndDuplicatesChangeNothing(@ForAll("runs") Run run) {
        Ledger ledger = replay(run.deliveries(), run.cuts());
        Set<String> delivered =
                run.deliveries().stream().map(Observation::notificationId).collect(Collectors.toSet());
        assertThat(ledger.events())
                .extracting(e -> e.notificationId())
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(delivered);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < run.deliveries().size(); i++) {
            boolean redelivery = !seen.add(run.deliveries().get(i).notificationId());
            assertThat(ledger.results().get(i) == null).isEqualTo(redelivery);
        }
        Ledger withoutRedeliveries = replay(
                run.deliveries().stream()
                        .filter(distinctBy(Observation::notificationId))
                        .toList(),
                run.cuts());
        assertThat(withoutRedeliveries.statuses()).isEqualTo(ledger.statuses());
        assertThat(outcomes(withoutRedeliveries)).isEqualTo(outcomes(ledger));
    }

    @Property
    void groupCommitDecidesExactlyAsOneByOne(@ForAll("runs") Run run) {
        Ledger batched = replay(run.deliveries(), run.cuts());
        Set<Integer> everyOne = new HashSet<>();
        for (int i = 0; i < run.deliveries().size(); i++) {
            everyOne.add(i);
        }
        Ledger oneByOne = replay(run.deliveries(), everyOne);
        assertThat(outcomes(batched)).isEqualTo(outcomes(oneByOne));
        assertThat(batched.statuses()).isEqualTo(oneByOne.statuses());
    }

    @Provide
    Arbitrary<Run> runs() {
        Arbitrary<Observation> notification = Combinators.combine(
                        Arbitraries.of("task_a", "task_b", "task_c"),
                        Arbitraries.of(TaskStatus.class).injectNull(0.1),
                        Arbitraries.integers().between(0, 1_000_000))
                .as((task, status, n) -> new Observation(
                        task,
                        EventSource.WEBHOOK,
                        "index.task." + (status == null ? "unknown" : status.wire()),
                        status,
                        "whe_" + n,
                        null,
                        null,
                        "video_" + task,
                        Map.of(),
                        "{\"id\":\"whe_" + n + "\"}"));
        Arbitrary<List<Observation>> distinct =
                notification.list().ofMinSize(1).ofMaxSize(12).uniqueElements(Observation::notificationId);
        return distinct.flatMap(pool -> Arbitraries.of(pool)
                .list()
                .ofMinSize(pool.size())
                .ofMaxSize(pool.size() * 3)
                .map(extra -> {
                    List<Observation> deliveries = new ArrayList<>(pool);
                    deliveries.addAll(extra);
                    return deliveries;
                })
                .flatMap(deliveries -> Arbitraries.shuffle(deliveries))
                .flatMap(deliveries -> Arbitraries.integers()
                        .between(0, deliveries.size())
                        .set()
                        .map(cuts -> new Run(deliveries, cuts))));
    }

    /** Applies deliveries batch by batch (a batch ends after each index in {@code cuts}), as LedgerStore does. */
    private static Ledger replay(List<Observation> deliveries, Set<Integer> cuts) {
        Map<String, TaskStatus> statuses = new HashMap<>();
        Map<String, String> videos = new HashMap<>();
        Set<String> recorded = new HashSet<>();
        List<TaskEvent> results = new ArrayList<>();
        List<Observation> batch = new ArrayList<>();
        for (int i = 0; i < deliveries.size(); i++) {
            batch.add(deliveries.get(i));
            if (cuts.contains(i) || i == deliveries.size() - 1) {
                Map<String, LedgerPlan.TaskState> tasks = new HashMap<>();
                for (Observation o : batch) {
                    tasks.computeIfAbsent(
                            o.taskId(),
                            id -> statuses.containsKey(id)
                                    ? new LedgerPlan.TaskState(id, statuses.get(id), false, videos.get(id), null)
                                    : new LedgerPlan.TaskState(
                                            id, LedgerPlan.initialStatus(o), true, o.videoId(), null));
                }
                results.addAll(LedgerPlan.apply(tasks, recorded, batch, NOW));
                tasks.values().forEach(t -> {
                    statuses.put(t.id, t.status);
                    videos.put(t.id, t.videoId);
                });
                batch.clear();
            }
        }
        return new Ledger(results.stream().filter(Objects::nonNull).toList(), results, statuses);
    }

    /** The decision part of each stored event (ids and clocks left out). */
    private static List<List<Object>> outcomes(Ledger ledger) {
        return ledger.events().stream()
                .map(e -> List.<Object>of(
                        e.taskId(),
                        e.status(),
                        Objects.toString(e.previousStatus()),
                        e.applied(),
                        e.completes(),
                        e.notificationId()))
                .toList();
    }

    private static <T> java.util.function.Predicate<T> distinctBy(java.util.function.Function<T, ?> key) {
        Set<Object> seen = new HashSet<>();
        return t -> seen.add(key.apply(t));
    }
}
