package io.reelhook.task;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaskLedgerBoundTest {

    @Test
    void observationsPastTheWaitingLimitAreRefusedAtOnce() {
        TaskLedger ledger = new TaskLedger();
        ledger.registry = new SimpleMeterRegistry();
        ledger.workers = new io.reelhook.supervision.Workers();
        ledger.config = new LedgerConfig() {
            @Override
            public int writers() {
                return 0; // nothing commits: every observation stays waiting
            }

            @Override
            public int maxBatch() {
                return 256;
            }

            @Override
            public int maxWaiting() {
                return 2;
            }
        };
        ledger.start();
        Observation upload = new Observation(
                "task_1", EventSource.UPLOAD, null, TaskStatus.VALIDATING, null, null, "index_1", null, null, null);

        CompletableFuture<?> first = ledger.submit(upload);
        CompletableFuture<?> second = ledger.submit(upload);
        CompletableFuture<?> third = ledger.submit(upload);

        assertThat(first).isNotDone();
        assertThat(second).isNotDone();
        assertThat(third).isCompletedExceptionally();
        assertThatThrownBy(third::join)
                .hasCauseInstanceOf(LedgerUnavailableException.class)
                .hasRootCauseMessage("2 observations already wait for a commit");
    }
}
