package io.reelhook.webhook;

import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Webhook deliveries by outcome over the last hour, for the operations panel (the metric {@code reelhook.webhooks}
 * counts since start; an hour's window needs its own memory): sixty one-minute buckets per outcome, in memory, per
 * instance.
 */
@Singleton
public class RecentOutcomes {

    public static final Duration WINDOW = Duration.ofHours(1);
    private static final int BUCKETS = 60;
    private static final long BUCKET_MILLIS = WINDOW.toMillis() / BUCKETS;

    private final Clock clock;
    private final long[] minutes = new long[BUCKETS];
    private final Map<Outcome, long[]> counts = new EnumMap<>(Outcome.class);

    public RecentOutcomes() {
        this(Clock.systemUTC());
    }

    RecentOutcomes(Clock clock) {
        this.clock = clock;
        for (Outcome outcome : Outcome.values()) {
            counts.put(outcome, new long[BUCKETS]);
        }
        Arrays.fill(minutes, -1);
    }

    synchronized void record(Outcome outcome) {
        long minute = clock.millis() / BUCKET_MILLIS;
        int slot = (int) (minute % BUCKETS);
        if (minutes[slot] != minute) {
            // the slot last counted a minute an hour or more ago
            minutes[slot] = minute;
            counts.values().forEach(c -> c[slot] = 0);
        }
        counts.get(outcome)[slot]++;
    }

    /** Every outcome (the metric's tag: {@code accepted}, {@code bad_signature}, ...) and its count in the window. */
    public synchronized Map<String, Long> lastHour() {
        long now = clock.millis() / BUCKET_MILLIS;
        Map<String, Long> total = new TreeMap<>();
        counts.forEach((outcome, c) -> {
            long sum = 0;
            for (int slot = 0; slot < BUCKETS; slot++) {
                if (minutes[slot] > now - BUCKETS) {
                    sum += c[slot];
                }
            }
            total.put(outcome.tag(), sum);
        });
        return total;
    }

    /** Whether an outcome tag is an acknowledged delivery (stored or a redelivery) rather than a refusal. */
    public static boolean accepted(String tag) {
        return tag.equals(Outcome.ACCEPTED.tag()) || tag.equals(Outcome.DUPLICATE.tag());
    }
}
