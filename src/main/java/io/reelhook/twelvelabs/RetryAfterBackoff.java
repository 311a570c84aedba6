package io.reelhook.twelvelabs;

import io.smallrye.faulttolerance.api.CustomBackoffStrategy;

import java.util.concurrent.ThreadLocalRandom;

/** Exponential backoff with jitter that waits exactly as long as a 429's Retry-After asks, when it does. */
public class RetryAfterBackoff implements CustomBackoffStrategy {

    private long next;

    @Override
    public void init(long initialDelayInMillis) {
        next = initialDelayInMillis;
    }

    @Override
    public long nextDelayInMillis(Throwable cause) {
        if (cause instanceof UpstreamException upstream && upstream.retryAfter().isPresent()) {
            return upstream.retryAfter().get().toMillis();
        }
        long delay = next + ThreadLocalRandom.current().nextLong(next / 4 + 1);
        next = Math.min(next * 2, 30_000);
        return delay;
    }
}
