package io.reelhook.twelvelabs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/** The part of Twelve Labs' task object that Reelhook reads back. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record UpstreamTask(
        @JsonProperty("_id") String id,
        @JsonProperty("index_id") String indexId,
        @JsonProperty("video_id") String videoId,
        String status,
        @JsonProperty("system_metadata") Map<String, Object> systemMetadata) {}
