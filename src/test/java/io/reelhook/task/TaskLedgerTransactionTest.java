package io.reelhook.task;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.testing.EventRows;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link TaskLedger#record} group-commits on its own, but joins a caller's transaction when there is one. */
@QuarkusTest
class TaskLedgerTransactionTest {

    @Inject
    EventRows eventRows;

    @Inject
    TaskLedger ledger;

    @Test
    void insideACallersTransactionTheObservationCommitsOrRollsBackWithIt() {
        String rolledBack = "whe_" + UUID.randomUUID();
        QuarkusTransaction.begin();
        assertThat(ledger.record(webhook(rolledBack))).isPresent();
        QuarkusTransaction.rollback();
        assertThat(eventRows.countOfNotification(rolledBack)).isZero();

        String committed = "whe_" + UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> ledger.record(webhook(committed)));
        assertThat(eventRows.countOfNotification(committed)).isEqualTo(1);
    }

    private static Observation webhook(String notificationId) {
        return new Observation(
                "task_" + UUID.randomUUID(),
                EventSource.WEBHOOK,
                "index.task.ready",
                TaskStatus.READY,
                notificationId,
                null,
                null,
                null,
                Map.of(),
                "{\"id\":\"" + notificationId + "\"}");
    }
}
