package io.reelhook.task;

import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.testing.Api;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

@QuarkusTest
class TaskResourceTest {

    @Inject
    TaskLedger ledger;

    String index;

    @BeforeEach
    void fiveTasks() {
        index = "idx_" + UUID.randomUUID();
        for (int i = 1; i <= 5; i++) {
            Task task = new Task();
            task.id = index + "_t" + i;
            task.indexId = index;
            task.filename = i == 3 ? "special.mp4" : "clip" + i + ".mp4";
            ledger.recordUpload(task);
        }
        ledger.record(new Observation(
                index + "_t2",
                EventSource.WEBHOOK,
                "index.task.ready",
                TaskStatus.READY,
                "whe_" + index,
                null,
                index,
                "vid",
                Map.of(),
                "{}"));
    }

    @Test
    void pagesNewestFirstByDefault() {
        Api.given()
                .queryParam("index_id", index)
                .queryParam("page_limit", 2)
                .get("/v1.3/tasks")
                .then()
                .statusCode(200)
                .body("data._id", contains(index + "_t5", index + "_t4"))
                .body("page_info.page", equalTo(1))
                .body("page_info.limit_per_page", equalTo(2))
                .body("page_info.total_page", equalTo(3))
                .body("page_info.total_results", equalTo(5));
        Api.given()
                .queryParam("index_id", index)
                .queryParam("page_limit", 2)
                .queryParam("page", 3)
                .get("/v1.3/tasks")
                .then()
                .body("data._id", contains(index + "_t1"));
    }

    @Test
    void filtersAndSorts() {
        Api.given()
                .queryParam("index_id", index)
                .queryParam("status", "ready")
                .get("/v1.3/tasks")
                .then()
                .body("data._id", contains(index + "_t2"));
        Api.given()
                .queryParam("index_id", index)
                .queryParam("status", "ready")
                .queryParam("status", "validating")
                .get("/v1.3/tasks")
                .then()
                .body("data", hasSize(5));
        Api.given()
                .queryParam("index_id", index)
                .queryParam("filename", "special.mp4")
                .get("/v1.3/tasks")
                .then()
                .body("data._id", contains(index + "_t3"));
        Api.given()
                .queryParam("index_id", index)
                .queryParam("sort_option", "asc")
                .queryParam("page_limit", 1)
                .get("/v1.3/tasks")
                .then()
                .body("data._id", contains(index + "_t1"));
        Api.given()
                .queryParam("index_id", index)
                .queryParam("sort_by", "updated_at")
                .queryParam("page_limit", 1)
                .get("/v1.3/tasks")
                .then()
                .body("data._id", contains(index + "_t2"));
    }

    @Test
    void invalidListParametersAre400() {
        for (Map.Entry<String, Object> bad : Map.<String, Object>of(
                        "page_limit", 51, "page", 0, "sort_by", "name", "sort_option", "up", "status", "done")
                .entrySet()) {
            Api.given()
                    .queryParam(bad.getKey(), bad.getValue())
                    .get("/v1.3/tasks")
                    .then()
                    .statusCode(400)
                    .body("code", equalTo("parameter_invalid"));
        }
    }
}
