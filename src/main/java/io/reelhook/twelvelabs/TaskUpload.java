package io.reelhook.twelvelabs;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

/**
 * What {@code POST /tasks} sends: a video (null for a {@code video_url} upload) and the fields. The fields may come
 * after the video in the client's request and are only settled once the video passed its checks, so they are a
 * stage: the request's last part waits for it, and a stage that fails withdraws the request before it is complete.
 * {@code attempts} is what the retries of one upload learn about each other.
 */
public record TaskUpload(Video video, CompletionStage<TaskFields> fields, Attempts attempts) {

    public TaskUpload(Video video, CompletionStage<TaskFields> fields) {
        this(video, fields, new Attempts());
    }

    /** When the first attempt started, and whether an attempt's whole body reached Twelve Labs unanswered. */
    public static final class Attempts {
        private volatile Instant firstStarted;
        private volatile boolean delivered;

        synchronized Instant start() {
            if (firstStarted == null) {
                firstStarted = Instant.now();
            }
            return firstStarted;
        }

        Instant firstStarted() {
            return firstStarted;
        }

        boolean delivered() {
            return delivered;
        }

        void delivered(boolean value) {
            delivered = value;
        }
    }
}
