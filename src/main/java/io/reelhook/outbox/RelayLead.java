package io.reelhook.outbox;

import org.jboss.logging.Logger;
import org.postgresql.PGConnection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;

/**
 * A relay's lead over the outbox, fenced. The lead is the outbox advisory lock held by the relay's own connection;
 * while it leads, the relay confirms on that connection (under its network timeout) that its session still holds the
 * lock, and the lead lapses on its own when no confirmation succeeded within the lease: a sweep plus twice the probe
 * timeout. On a failed confirmation the lead ends here, before the connection is let go and PostgreSQL can hand the
 * lock to another instance.
 */
final class RelayLead {

    /** "reelhook" in ASCII: the advisory lock key of the outbox leader. */
    static final long LOCK_KEY = 0x7265656c686f6f6bL;

    private static final Logger LOG = Logger.getLogger(RelayLead.class);

    private final Duration sweep;
    private final Duration lease;
    private volatile boolean held;
    /** Counts the times this relay took the lock, so that the publisher notices a lost and retaken lead. */
    private volatile long term;
    /** The backend pid of the lock connection while it leads: the watermark moves only while it holds the lock. */
    private volatile int lockPid;
    /** System.nanoTime() past which the lead lapses unless a confirmation renewed it. */
    private volatile long leaseUntil;

    private long confirmedAt;

    RelayLead(OutboxConfig config) {
        this.sweep = config.sweep();
        this.lease = config.sweep().plus(config.probeTimeout().multipliedBy(2));
    }

    /** True while the lock is held and was confirmed within the lease. */
    boolean leading() {
        return held && System.nanoTime() - leaseUntil < 0;
    }

    /** {@link #leading()}, and still in the term the caller started in. */
    boolean leading(long expectedTerm) {
        return term == expectedTerm && leading();
    }

    /** True once the lock was taken, until resigned (whether confirmed lately or not). */
    boolean held() {
        return held;
    }

    long term() {
        return term;
    }

    int lockPid() {
        return lockPid;
    }

    /** Takes the lock when free; while leading, confirms it at least twice a sweep. Resigns on any doubt. */
    void renew(Connection c) throws SQLException {
        long now = System.nanoTime();
        try {
            if (!held) {
                if (tryLock(c)) {
                    lockPid = c.unwrap(PGConnection.class).getBackendPID();
                    confirmedAt = now;
                    leaseUntil = now + lease.toNanos();
                    term++;
                    held = true;
                    LOG.info("this instance now relays the outbox to Kafka");
                }
            } else if (now - confirmedAt >= sweep.toNanos() / 2) {
                if (!holdsLock(c)) {
                    throw new SQLException("the outbox lock is no longer held by this session");
                }
                confirmedAt = now;
                leaseUntil = now + lease.toNanos();
            }
        } catch (SQLException | RuntimeException e) {
            resign();
            throw e;
        }
    }

    void resign() {
        if (held) {
            held = false;
            LOG.info("this instance no longer relays the outbox");
        }
    }

    private static boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            s.setLong(1, LOCK_KEY);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getBoolean(1);
            }
        }
    }

    private static boolean holdsLock(Connection c) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + Watermark.holdsOutboxLock("pg_backend_pid()"));
                ResultSet r = s.executeQuery()) {
            r.next();
            return r.getBoolean(1);
        }
    }
}
