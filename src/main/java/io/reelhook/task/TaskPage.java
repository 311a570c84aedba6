package io.reelhook.task;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** Twelve Labs' list answer. */
public record TaskPage(
        List<TaskView> data, @JsonProperty("page_info") PageInfo pageInfo) {

    public record PageInfo(
            int page,
            @JsonProperty("limit_per_page") int limitPerPage,
            @JsonProperty("total_page") long totalPage,
            @JsonProperty("total_results") long totalResults) {}
}
