package io.reelhook.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/** The event JSON of CONTRACT §3, as published to Kafka and served over HTTP. */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record EventMessage(
        @JsonProperty("event_id") UUID eventId,
        Long sequence,
        String type,
        @JsonProperty("task_id") String taskId,
        @JsonProperty("video_id") String videoId,
        @JsonProperty("index_id") String indexId,
        String status,
        @JsonProperty("previous_status") String previousStatus,
        String source,
        @JsonProperty("occurred_at") Instant occurredAt,
        @JsonProperty("received_at") Instant receivedAt,
        @JsonProperty("notification_id") String notificationId,
        Map<String, Object> metadata) {

    /** The JSON text published to Kafka and streamed over SSE. */
    public String json(ObjectMapper mapper) {
        try {
            return mapper.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
