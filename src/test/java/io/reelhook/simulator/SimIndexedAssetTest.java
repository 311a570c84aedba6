package io.reelhook.simulator;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.reelhook.simulator.SimAssetTest.awaitAsset;
import static io.reelhook.simulator.SimAssetTest.direct;
import static io.reelhook.simulator.SimMultipartTest.create;
import static io.reelhook.simulator.SimulatorTest.PATIENCE;
import static io.reelhook.simulator.SimulatorTest.SAMPLE;
import static io.reelhook.simulator.SimulatorTest.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/** The simulator's {@code /indexes/{index_id}/indexed-assets}. */
@QuarkusTest
class SimIndexedAssetTest {

    /** An index the simulator knows, spelled as Twelve Labs spells ids, that no other test uses. */
    static String index() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 24);
    }

    static String indexed(String index) {
        return SimulatorConfig.BASE_PATH + "/indexes/" + index + "/indexed-assets";
    }

    static String readyAsset() {
        String assetId = direct(SAMPLE, null, null);
        awaitAsset(assetId, "ready");
        return assetId;
    }

    static String index(String index, String assetId, Map<String, Object> userMetadata) {
        return api().contentType("application/json")
                .body(Map.of("asset_id", assetId, "enable_video_stream", true, "user_metadata", userMetadata))
                .post(indexed(index))
                .then()
                .statusCode(202)
                .body("_id", matchesPattern("[0-9a-f]{24}"))
                .body("asset_id", equalTo(assetId))
                .extract()
                .path("_id");
    }

    static void awaitIndexed(String index, String id, String status) {
        await().atMost(PATIENCE)
                .untilAsserted(() -> api().get(indexed(index) + "/" + id)
                        .then()
                        .statusCode(200)
                        .body("status", equalTo(status)));
    }

    @Test
    void aReadyAssetGoesThroughTheIndexingStatusesToReady() throws Exception {
        String index = index();
        String assetId = readyAsset();
        String id = index(index, assetId, Map.of("team", "a"));

        List<String> seen = new ArrayList<>();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).until(() -> {
            String status = api().get(indexed(index) + "/" + id)
                    .then()
                    .statusCode(200)
                    .extract()
                    .path("status");
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(status)) {
                seen.add(status);
            }
            return "ready".equals(status);
        });
        assertThat(SimIndexedAsset.STATUSES).containsSubsequence(seen);
        assertThat(seen).hasSizeGreaterThan(1);
        api().get(indexed(index) + "/" + id)
                .then()
                .body("_id", equalTo(id))
                .body("asset_id", equalTo(assetId))
                .body("created_at", notNullValue())
                .body("updated_at", notNullValue())
                .body("indexed_at", notNullValue())
                .body("system_metadata.filename", equalTo("sample.mp4"))
                .body("system_metadata.size", equalTo((int) Files.size(SAMPLE)))
                .body("user_metadata.team", equalTo("a"));

        api().get(indexed(index))
                .then()
                .statusCode(200)
                .body("data", hasSize(1))
                .body("data[0]._id", equalTo(id))
                .body("page_info.total_results", equalTo(1))
                .body("page_info.total_page", equalTo(1));
        api().queryParam("status", "failed").get(indexed(index)).then().body("data", hasSize(0));
        api().get(indexed(index()) + "/" + id).then().statusCode(404);

        api().delete(indexed(index) + "/" + id).then().statusCode(204);
        api().get(indexed(index) + "/" + id).then().statusCode(404).body("code", equalTo("resource_not_exist"));
        api().get(indexed(index)).then().body("page_info.total_results", equalTo(0));
    }

    @Test
    void failSwitchFailsIndexing() {
        String index = index();
        String id = index(index, readyAsset(), Map.of("simulator", Map.of("fail", true)));
        awaitIndexed(index, id, "failed");
        api().get(indexed(index) + "/" + id).then().body("$", not(hasKey("indexed_at")));
    }

    @Test
    void anAssetNotReadyUnknownOrMissingAndAnUnknownIndexAreRefused() {
        String index = index();
        String processing = create(10, Map.of()).getString("asset_id");
        api().contentType("application/json")
                .body(Map.of("asset_id", processing))
                .post(indexed(index))
                .then()
                .statusCode(400)
                .body("code", equalTo("parameter_invalid"))
                .body("message", org.hamcrest.Matchers.containsString("processing"));
        api().contentType("application/json")
                .body(Map.of("asset_id", "0".repeat(24)))
                .post(indexed(index))
                .then()
                .statusCode(400)
                .body("code", equalTo("parameter_invalid"));
        api().contentType("application/json")
                .body(Map.of("enable_video_stream", true))
                .post(indexed(index))
                .then()
                .statusCode(400)
                .body("code", equalTo("parameter_not_provided"));
        api().contentType("application/json")
                .body(Map.of("asset_id", processing))
                .post(indexed(SimAssets.UNKNOWN_INDEX + "_idx"))
                .then()
                .statusCode(404)
                .body("code", equalTo("resource_not_exist"));
        api().get(indexed(index)).then().statusCode(200).body("page_info.total_results", equalTo(0));
    }

    @Test
    void throttleAnswersTheFirstReadOfTheIndexedAsset() {
        String index = index();
        String id = index(index, readyAsset(), Map.of("simulator", Map.of("throttle", 1)));
        api().get(indexed(index) + "/" + id)
                .then()
                .statusCode(429)
                .header("Retry-After", "1")
                .body("code", equalTo("too_many_requests"));
        api().get(indexed(index) + "/" + id).then().statusCode(200).body("_id", equalTo(id));
    }
}
