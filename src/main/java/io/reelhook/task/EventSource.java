package io.reelhook.task;

import java.util.Locale;

/** Where Reelhook learnt of a status (the event's {@code source}). */
public enum EventSource {
    UPLOAD,
    WEBHOOK,
    RECONCILER;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}
