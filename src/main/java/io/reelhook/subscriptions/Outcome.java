package io.reelhook.subscriptions;

import java.time.Instant;

/** What became of a claimed delivery's attempt: delivered, failed for good, or due again at {@code retryAt}. */
record Outcome(Claim claim, Attempt attempt, Instant retryAt) {

    String state() {
        return attempt.delivered() ? "delivered" : retryAt == null ? "failed" : "pending";
    }
}
