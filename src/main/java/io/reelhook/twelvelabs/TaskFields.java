package io.reelhook.twelvelabs;

import java.net.URI;

/** The form fields of a {@code POST /tasks} besides the video file. */
public record TaskFields(
        String indexId, String videoUrl, String language, Boolean enableVideoStream, String userMetadata) {

    /** The name a video fetched from {@code url} goes by: its path's last segment, or its host. */
    public static String fileName(URI url) {
        String path = url.getPath() == null ? "" : url.getPath();
        return path.isEmpty() || path.endsWith("/") ? url.getHost() : path.substring(path.lastIndexOf('/') + 1);
    }
}
