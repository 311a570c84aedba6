package io.reelhook.supervision;

import org.jboss.logging.Logger;

import java.time.Duration;

/**
 * A long-running loop on its own thread that survives anything its body throws, {@link Error}s included: the body is
 * started again after a backoff that doubles with each crash in a row. The liveness check reports the thread dead
 * while it crashes again and again without running for a while in between, or once the thread itself is gone.
 */
public final class SupervisedThread {

    /** The loop; it returns only when asked to stop (or throws). */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    /** Crashes in a row after which the thread counts as dead until a run lasts {@link #STABLE}. */
    public static final int DEAD_AFTER = 3;

    static final Duration STABLE = Duration.ofSeconds(30);

    private static final Logger LOG = Logger.getLogger(SupervisedThread.class);

    private final String name;
    private final Body body;
    private final Duration firstBackoff;
    private final Duration maxBackoff;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile int crashesInARow;
    private volatile long startedAt;
    private volatile Throwable lastCrash;

    public SupervisedThread(String name, Body body, Duration firstBackoff, Duration maxBackoff) {
        this.name = name;
        this.body = body;
        this.firstBackoff = firstBackoff;
        this.maxBackoff = maxBackoff;
        this.thread = new Thread(this::supervise, name);
        thread.setDaemon(true);
    }

    public SupervisedThread start() {
        thread.start();
        return this;
    }

    public String name() {
        return name;
    }

    /** False once it crashed {@link #DEAD_AFTER} times without a stable run since, or its thread ended early. */
    public boolean alive() {
        if (!running) {
            return true;
        }
        if (!thread.isAlive()) {
            return false;
        }
        return crashesInARow < DEAD_AFTER || System.nanoTime() - startedAt >= STABLE.toNanos();
    }

    public int crashesInARow() {
        return crashesInARow;
    }

    public Throwable lastCrash() {
        return lastCrash;
    }

    /** Asks the body to stop (by interrupting it) and waits a little for it. */
    public void stop() {
        running = false;
        thread.interrupt();
    }

    public void join(Duration timeout) throws InterruptedException {
        thread.join(timeout.toMillis());
    }

    public boolean stopping() {
        return !running;
    }

    private void supervise() {
        Duration backoff = firstBackoff;
        while (running) {
            startedAt = System.nanoTime();
            try {
                body.run();
                if (running) {
                    throw new IllegalStateException(name + " returned while it should run");
                }
            } catch (Throwable crash) {
                if (!running) {
                    return;
                }
                if (System.nanoTime() - startedAt >= STABLE.toNanos()) {
                    crashesInARow = 0;
                    backoff = firstBackoff;
                }
                crashesInARow++;
                lastCrash = crash;
                LOG.errorf(crash, "%s crashed (%d in a row); restarting in %s", name, crashesInARow, backoff);
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException e) {
                    // stop() interrupts; the loop condition decides
                }
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            }
        }
    }
}
