package io.reelhook.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.Map;

/**
 * Twelve Labs' task object, served from Reelhook's database. {@code metadata} repeats {@code system_metadata}
 * for v1.2-era clients such as Twelve Labs' own upload guide.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TaskView(
        @JsonProperty("_id") String id,
        @JsonProperty("index_id") String indexId,
        @JsonProperty("video_id") String videoId,
        String status,
        @JsonProperty("created_at") Instant createdAt,
        @JsonProperty("updated_at") Instant updatedAt,
        @JsonProperty("system_metadata") SystemMetadata systemMetadata,
        SystemMetadata metadata,
        @JsonProperty("user_metadata") Map<String, Object> userMetadata) {

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record SystemMetadata(String filename, Double duration, Integer width, Integer height) {}

    public static TaskView of(Task task) {
        SystemMetadata system = new SystemMetadata(task.filename, task.duration, task.width, task.height);
        return new TaskView(
                task.id,
                task.indexId,
                task.videoId,
                task.status,
                task.createdAt.toInstant(),
                task.updatedAt.toInstant(),
                system,
                system,
                task.userMetadata);
    }
}
