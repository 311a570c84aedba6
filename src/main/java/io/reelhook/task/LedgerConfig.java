package io.reelhook.task;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The task ledger's group commit ({@code reelhook.ledger.*}). */
@ConfigMapping(prefix = "reelhook.ledger")
public interface LedgerConfig {

    /** Writer threads, each committing one batch of observations per transaction. */
    @WithDefault("2")
    int writers();

    /** Observations one writer commits per transaction at most. */
    @WithDefault("256")
    int maxBatch();

    /** Past this many waiting observations a caller is refused at once (a webhook gets 503, and is redelivered). */
    @WithDefault("10000")
    int maxWaiting();
}
