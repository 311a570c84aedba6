package io.reelhook.webhook;

import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import static org.assertj.core.api.Assertions.assertThat;

class RecentOutcomesTest {

    /** A clock the test moves. */
    private static final class Manual extends Clock {
        Instant now = Instant.parse("2026-12-01T10:00:30Z");

        @Override
        public ZoneId getZone() {
            return ZoneId.of("UTC");
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void countsEachOutcomeOverTheLastHourOnly() {
        Manual clock = new Manual();
        RecentOutcomes recent = new RecentOutcomes(clock);
        recent.record(Outcome.ACCEPTED);
        recent.record(Outcome.BAD_SIGNATURE);
        clock.now = clock.now.plus(Duration.ofMinutes(30));
        recent.record(Outcome.ACCEPTED);
        recent.record(Outcome.DUPLICATE);

        assertThat(recent.lastHour())
                .containsEntry("accepted", 2L)
                .containsEntry("duplicate", 1L)
                .containsEntry("bad_signature", 1L)
                .containsEntry("stale", 0L)
                .hasSize(Outcome.values().length);

        clock.now = clock.now.plus(Duration.ofMinutes(31));
        assertThat(recent.lastHour())
                .containsEntry("accepted", 1L)
                .containsEntry("duplicate", 1L)
                .containsEntry("bad_signature", 0L);

        // the slot of an hour ago is reused, not added to
        clock.now = clock.now.plus(Duration.ofMinutes(29));
        recent.record(Outcome.BAD_SIGNATURE);
        assertThat(recent.lastHour())
                .containsEntry("accepted", 0L)
                .containsEntry("duplicate", 0L)
                .containsEntry("bad_signature", 1L);
        assertThat(RecentOutcomes.accepted("duplicate")).isTrue();
        assertThat(RecentOutcomes.accepted("stale")).isFalse();
    }
}
