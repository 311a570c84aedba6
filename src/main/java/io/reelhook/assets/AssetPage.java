package io.reelhook.assets;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.reelhook.api.QueryParams;

import java.util.List;

/** A page of assets or indexed assets, as Twelve Labs' lists answer: {@code data} and {@code page_info}. */
record AssetPage(
        List<ObjectNode> data, @JsonProperty("page_info") PageInfo pageInfo) {

    private static final int MAX_PAGE_LIMIT = 50;

    record PageInfo(
            @JsonProperty("limit_per_page") int limitPerPage,
            int page,
            @JsonProperty("total_page") long totalPage,
            @JsonProperty("total_results") long totalResults) {}

    static AssetPage of(AssetStore.Page page) {
        return new AssetPage(
                page.data(),
                new PageInfo(
                        page.limit(), page.page(), (page.total() + page.limit() - 1) / page.limit(), page.total()));
    }

    static int limit(String pageLimit) {
        return QueryParams.intIn("page_limit", pageLimit, 10, 1, MAX_PAGE_LIMIT);
    }

    static int page(String page, String pageLimit) {
        return QueryParams.intIn("page", page, 1, 1, Integer.MAX_VALUE / limit(pageLimit));
    }
}
