package io.reelhook.task;

import java.util.Locale;
import java.util.Optional;

/** Twelve Labs' task statuses, in the order a task moves through them. */
public enum TaskStatus {
    UPLOADING(0),
    VALIDATING(1),
    PENDING(2),
    QUEUED(3),
    INDEXING(4),
    READY(5),
    FAILED(5);

    private final int stage;

    TaskStatus(int stage) {
        this.stage = stage;
    }

    public boolean terminal() {
        return this == READY || this == FAILED;
    }

    /** A status never goes backwards and a terminal status is final. */
    public boolean canMoveTo(TaskStatus next) {
        return !terminal() && next.stage > stage;
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<TaskStatus> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(valueOf(value.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
    }
}
