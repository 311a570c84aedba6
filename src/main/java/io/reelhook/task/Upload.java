package io.reelhook.task;

import java.util.Map;

/** What an accepted upload tells about its task besides its status: the video and the options it was sent with. */
public record Upload(
        String filename,
        Long sizeBytes,
        Double duration,
        Integer width,
        Integer height,
        String language,
        Boolean enableVideoStream,
        Map<String, Object> userMetadata) {

    static Upload of(Task task) {
        return new Upload(
                task.filename,
                task.sizeBytes,
                task.duration,
                task.width,
                task.height,
                task.language,
                task.enableVideoStream,
                task.userMetadata);
    }
}
