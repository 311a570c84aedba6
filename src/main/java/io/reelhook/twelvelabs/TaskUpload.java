package io.reelhook.twelvelabs;

import java.util.concurrent.CompletionStage;

/**
 * What {@code POST /tasks} sends: a video (null for a {@code video_url} upload) and the fields. The fields may come
 * after the video in the client's request and are only settled once the video passed its checks, so they are a
 * stage: the request's last part waits for it, and a stage that fails withdraws the request before it is complete.
 */
public record TaskUpload(Video video, CompletionStage<TaskFields> fields) {
}
