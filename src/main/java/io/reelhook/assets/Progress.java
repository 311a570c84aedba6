package io.reelhook.assets;

import java.util.Locale;
import java.util.Optional;

/**
 * The statuses of Twelve Labs' assets ({@code processing, ready, failed}) and indexed assets ({@code pending, queued,
 * indexing, ready, failed}), in the order they move through them: a status never goes back and a terminal one is
 * final, as for tasks.
 */
enum Progress {
    PROCESSING(Kind.ASSET, 0),
    PENDING(Kind.INDEXED_ASSET, 0),
    QUEUED(Kind.INDEXED_ASSET, 1),
    INDEXING(Kind.INDEXED_ASSET, 2),
    READY(null, 9),
    FAILED(null, 9);

    enum Kind {
        ASSET("asset"),
        INDEXED_ASSET("indexed_asset");

        /** The event type's prefix: {@code asset.ready}, {@code indexed_asset.indexing}. */
        final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }
    }

    /** Null for the statuses both kinds share. */
    private final Kind kind;

    private final int stage;

    Progress(Kind kind, int stage) {
        this.kind = kind;
        this.stage = stage;
    }

    boolean terminal() {
        return stage == 9;
    }

    boolean canMoveTo(Progress next) {
        return !terminal() && next.stage > stage;
    }

    String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The status of an asset or indexed asset, as Twelve Labs writes it; empty when unknown to this kind. */
    static Optional<Progress> parse(Kind kind, String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            Progress status = valueOf(value.trim().toUpperCase(Locale.ROOT));
            return status.kind == null || status.kind == kind ? Optional.of(status) : Optional.empty();
        } catch (IllegalArgumentException unknown) {
            return Optional.empty();
        }
    }
}
