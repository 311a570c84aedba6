package io.reelhook.twelvelabs;

/** The form fields of a {@code POST /tasks} besides the video file. */
public record TaskFields(String indexId, String videoUrl, String language, Boolean enableVideoStream,
        String userMetadata) {
}
