package io.reelhook.resumable;

import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.inject.Inject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records what {@link CompletedUploads} is told, around whichever bean implements it (the default, or the asset
 * pipeline's once it exists): a decorator, so that the suite never holds a second implementation.
 */
@Decorator
@Priority(1)
class RecordingCompletedUploads implements CompletedUploads {

    static final List<String> RECEIVED = new CopyOnWriteArrayList<>();
    static final List<String> COMPLETED = new CopyOnWriteArrayList<>();
    /** Uploads whose hand-over fails with this message, as if the pipeline had thrown. */
    static final java.util.Map<String, String> FAIL = new java.util.concurrent.ConcurrentHashMap<>();

    @Inject
    @Delegate
    CompletedUploads delegate;

    @Override
    public void received(ResumableUpload upload, long offset) {
        RECEIVED.add(
                upload.id() + "@" + offset + (upload.offset() == offset ? "" : " (row says " + upload.offset() + ")"));
        delegate.received(upload, offset);
    }

    @Override
    public void completed(ResumableUpload upload, Path file) {
        try {
            COMPLETED.add(upload.id() + ":" + upload.status() + ":" + Files.size(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String failure = FAIL.get(upload.id());
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
        delegate.completed(upload, file);
    }

    static List<String> received(String id) {
        return RECEIVED.stream().filter(r -> r.startsWith(id + "@")).toList();
    }

    static List<String> completed(String id) {
        return COMPLETED.stream().filter(r -> r.startsWith(id + ":")).toList();
    }
}
