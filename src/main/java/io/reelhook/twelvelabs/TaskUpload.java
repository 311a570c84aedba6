package io.reelhook.twelvelabs;

import java.nio.file.Path;

/** What {@code POST /tasks} sends: a spooled file (re-readable for retries) or a URL. */
public record TaskUpload(String indexId, Path file, String filename, String videoUrl, String language,
        Boolean enableVideoStream, String userMetadata) {
}
