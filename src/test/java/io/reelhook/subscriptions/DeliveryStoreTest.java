package io.reelhook.subscriptions;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.reelhook.subscriptions.Fixtures.event;
import static io.reelhook.subscriptions.Fixtures.index;
import static io.reelhook.subscriptions.Fixtures.task;
import static org.assertj.core.api.Assertions.assertThat;

/** Fan-out, claims and records in the database, with this instance's dispatcher stopped. */
@QuarkusTest
class DeliveryStoreTest {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Duration DISABLE_AFTER = Duration.ofDays(5);

    private final Fixtures fixtures = new Fixtures();

    @Inject
    Dispatcher dispatcher;

    @Inject
    DeliveryStore deliveries;

    @BeforeEach
    void stopDispatcher() {
        dispatcher.stop();
    }

    @AfterEach
    void cleanUp() {
        fixtures.cleanUp();
        dispatcher.start();
    }

    @Test
    void aClaimTakesTheHeadOfEachTaskOnceUntilItsOutcomeIsRecorded() throws Exception {
        String index = index();
        UUID sub = subscribe(List.of("index.task.*"), index);
        String first = task();
        String second = task();
        event(first, index, "indexing");
        event(first, index, "ready");
        event(second, index, "ready");
        deliveries.inTransaction(c -> DeliveryStore.fanOut(c, 1000));

        UUID mine = UUID.randomUUID();
        List<Claim> heads = claims(sub, Map.of(), mine);
        assertThat(heads).extracting(c -> c.event().taskId()).containsExactlyInAnyOrder(first, second);
        assertThat(heads).extracting(c -> c.event().status()).containsOnly("indexing", "ready");
        // leased, and the first task's next event waits behind its head
        UUID other = UUID.randomUUID();
        assertThat(claims(sub, Map.of(), other)).isEmpty();

        Claim head = heads.stream()
                .filter(c -> first.equals(c.event().taskId()))
                .findFirst()
                .orElseThrow();
        // an outcome under a lease that is no longer its own changes nothing
        Claim stale =
                new Claim(head.deliveryId(), sub, other, head.attempts(), head.url(), head.secrets(), head.event());
        record(List.of(new Outcome(stale, delivered(), null)), DISABLE_AFTER);
        assertThat(claims(sub, Map.of(), other)).isEmpty();

        record(List.of(new Outcome(head, delivered(), null)), DISABLE_AFTER);
        assertThat(claims(sub, Map.of(), other)).singleElement().satisfies(next -> {
            assertThat(next.event().taskId()).isEqualTo(first);
            assertThat(next.event().status()).isEqualTo("ready");
        });
    }

    @Test
    void aClaimTakesNoMoreThanTheRoomLeft() throws Exception {
        String index = index();
        UUID sub = subscribe(List.of("index.task.*"), index);
        for (int i = 0; i < 5; i++) {
            event(task(), index, "ready");
        }
        deliveries.inTransaction(c -> DeliveryStore.fanOut(c, 1000));

        assertThat(claims(sub, Map.of(sub, 10), UUID.randomUUID())).isEmpty();
        assertThat(claims(sub, Map.of(sub, 7), UUID.randomUUID())).hasSize(3);
        assertThat(claims(sub, Map.of(), UUID.randomUUID())).hasSize(2);
    }

    @Test
    void aFailedAttemptIsDueAgainAtItsRetryTimeAndRecordedOnce() throws Exception {
        String index = index();
        UUID sub = subscribe(List.of("index.task.*"), index);
        event(task(), index, "ready");
        deliveries.inTransaction(c -> DeliveryStore.fanOut(c, 1000));
        Attempt failed = new Attempt(Instant.now(), 500, 3, "HTTP 500", null);

        Claim first = claims(sub, Map.of(), UUID.randomUUID()).get(0);
        record(List.of(new Outcome(first, failed, Instant.now())), DISABLE_AFTER);
        Claim second = claims(sub, Map.of(), UUID.randomUUID()).get(0);
        assertThat(second.deliveryId()).isEqualTo(first.deliveryId());
        assertThat(second.attempts()).isEqualTo(1);

        record(List.of(new Outcome(second, failed, Instant.now().plusSeconds(3600))), DISABLE_AFTER);
        assertThat(claims(sub, Map.of(), UUID.randomUUID())).isEmpty();
        // the same outcome once more (its lease is gone): nothing changes
        record(List.of(new Outcome(second, failed, Instant.now())), DISABLE_AFTER);
        assertThat(claims(sub, Map.of(), UUID.randomUUID())).isEmpty();
    }

    @Test
    void eventTypeGlobsMatchOnlyTheirOwnCharacters() throws Exception {
        String index = index();
        // "_" is a wildcard in LIKE: here it must only match itself
        UUID underscore = subscribe(List.of("index.task.read_"), index);
        UUID star = subscribe(List.of("index.*.ready"), index);
        event(task(), index, "ready");
        deliveries.inTransaction(c -> DeliveryStore.fanOut(c, 1000));

        // one claim serves every subscription
        List<Claim> claims =
                deliveries.inTransaction(c -> DeliveryStore.claim(c, Map.of(), 10, LEASE, UUID.randomUUID()));
        assertThat(claims).noneMatch(c -> c.subscriptionId().equals(underscore));
        assertThat(claims).filteredOn(c -> c.subscriptionId().equals(star)).hasSize(1);
    }

    private UUID subscribe(List<String> types, String index) {
        return UUID.fromString((String) fixtures.subscribe("http://127.0.0.1:9/unused", types, List.of(index))
                .get("id"));
    }

    /** This test's subscription's claims (the claim serves every subscription). */
    private List<Claim> claims(UUID sub, Map<UUID, Integer> busy, UUID token) throws Exception {
        return deliveries.inTransaction(c -> DeliveryStore.claim(c, busy, 10, LEASE, token)).stream()
                .filter(c -> c.subscriptionId().equals(sub))
                .toList();
    }

    private void record(List<Outcome> outcomes, Duration disableAfter) throws Exception {
        deliveries.inTransaction(c -> {
            DeliveryStore.record(c, outcomes, disableAfter);
            return null;
        });
    }

    private static Attempt delivered() {
        return new Attempt(Instant.now(), 204, 3, null, null);
    }
}
