package io.reelhook.twelvelabs;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Twelve Labs' answer to {@code POST /tasks}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CreatedTask(
        @JsonProperty("_id") String id,
        @JsonProperty("video_id") String videoId) {}
