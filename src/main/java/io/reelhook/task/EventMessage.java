package io.reelhook.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.UUID;

/** The event JSON of docs/subscribing.md, as published to Kafka and served over HTTP. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record EventMessage(
        @JsonProperty("event_id") UUID eventId,
        Long sequence,
        String type,
        @JsonProperty("task_id") String taskId,
        @JsonProperty("asset_id") String assetId,
        @JsonProperty("indexed_asset_id") String indexedAssetId,
        @JsonProperty("video_id") String videoId,
        @JsonProperty("index_id") String indexId,
        String status,
        @JsonProperty("previous_status") String previousStatus,
        String source,
        @JsonProperty("occurred_at") Instant occurredAt,
        @JsonProperty("received_at") Instant receivedAt,
        @JsonProperty("notification_id") String notificationId,
        // JSON text as stored: published without being parsed and written again
        @JsonRawValue @Schema(type = SchemaType.OBJECT, description = "the task's metadata from Twelve Labs")
        String metadata) {

    /**
     * What orders the event: its task, or its asset (an indexed asset's events follow its asset's). Kafka's key on
     * the task-events topic, and the unit of per-task order for subscriptions.
     */
    public String subject() {
        return taskId != null ? taskId : assetId;
    }

    /** The key on the indexing-completed topic: the task, or the indexed asset, that completed. */
    public String completedKey() {
        return taskId != null ? taskId : indexedAssetId;
    }

    /** The JSON text published to Kafka and streamed over SSE. */
    public String json(ObjectMapper mapper) {
        try {
            return mapper.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
