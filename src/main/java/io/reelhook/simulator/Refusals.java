package io.reelhook.simulator;

import java.util.concurrent.atomic.AtomicInteger;

/** How many of an object's first reads chaos still answers 429, then 500 ({@code throttle}, {@code errors}). */
final class Refusals {

    private final AtomicInteger throttles;
    private final AtomicInteger errors;

    Refusals(Chaos chaos) {
        this.throttles = new AtomicInteger(chaos.throttle());
        this.errors = new AtomicInteger(chaos.errors());
    }

    /** The HTTP status that chaos answers the next read with, or 0 for a normal answer. */
    int next() {
        if (throttles.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return 429;
        }
        return errors.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? 500 : 0;
    }
}
