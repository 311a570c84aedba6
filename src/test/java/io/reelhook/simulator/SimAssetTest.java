package io.reelhook.simulator;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.webhook.RawHttp;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import static io.reelhook.simulator.SimulatorTest.PATIENCE;
import static io.reelhook.simulator.SimulatorTest.SAMPLE;
import static io.reelhook.simulator.SimulatorTest.api;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

/** The simulator's {@code /assets}, as Twelve Labs' SDK reads it. */
@QuarkusTest
class SimAssetTest {

    static final String ASSETS = SimulatorConfig.BASE_PATH + "/assets";

    @Inject
    SimAssets assets;

    @Inject
    SimulatorGuard guard;

    /** A direct asset of {@code file}; {@code userMetadata} may be null. */
    static String direct(Path file, String filename, String userMetadata) {
        var request = api().multiPart("method", "direct").multiPart("file", file.toFile(), "video/mp4");
        if (filename != null) {
            request.multiPart("filename", filename);
        }
        if (userMetadata != null) {
            request.multiPart("user_metadata", userMetadata);
        }
        return request.post(ASSETS)
                .then()
                .statusCode(201)
                .body("status", equalTo("processing"))
                .extract()
                .path("_id");
    }

    static void awaitAsset(String assetId, String status) {
        await().atMost(PATIENCE)
                .untilAsserted(() ->
                        api().get(ASSETS + "/" + assetId).then().statusCode(200).body("status", equalTo(status)));
    }

    @Test
    void directFileIsAnAssetProcessingThenReadyWithItsSize() throws Exception {
        int before = assets.all().size();
        String assetId = api().multiPart("method", "direct")
                .multiPart("file", SAMPLE.toFile(), "video/mp4")
                .multiPart("enable_hls", "true")
                .post(ASSETS)
                .then()
                .statusCode(201)
                .body("_id", matchesPattern("[0-9a-f]{24}"))
                .body("method", equalTo("direct"))
                .body("status", equalTo("processing"))
                .body("filename", equalTo("sample.mp4"))
                .body("file_type", equalTo("video/mp4"))
                .body("created_at", notNullValue())
                .body("$", not(hasKey("user_metadata")))
                .extract()
                .path("_id");
        assertThat(assets.all()).hasSize(before + 1);
        awaitAsset(assetId, "ready");
        api().get(ASSETS + "/" + assetId)
                .then()
                .body("_id", equalTo(assetId))
                .body("size", equalTo((int) Files.size(SAMPLE)))
                .body("hls.status", equalTo("ready"))
                .body("$", not(hasKey("thumbnail")))
                .body("$", not(hasKey("error")));
    }

    @Test
    void urlIsDownloadedAndBecomesAReadyAssetWithItsUserMetadata() throws Exception {
        String path = "/simulator/assets/" + UUID.randomUUID() + "/clip.mp4";
        new Hooks()
                .wireMock.register(
                        WireMock.get(path).willReturn(WireMock.aResponse().withBody(Files.readAllBytes(SAMPLE))));
        String assetId = api().multiPart("method", "url")
                .multiPart("url", Hooks.base() + path)
                .multiPart("user_metadata", "{\"team\": \"a\"}")
                .post(ASSETS)
                .then()
                .statusCode(201)
                .body("method", equalTo("url"))
                .body("filename", equalTo("clip.mp4"))
                .body("user_metadata.team", equalTo("a"))
                .extract()
                .path("_id");
        awaitAsset(assetId, "ready");
        api().get(ASSETS + "/" + assetId).then().body("size", equalTo((int) Files.size(SAMPLE)));
    }

    @Test
    void failSwitchFailsTheAssetWithAnError() {
        String assetId = direct(SAMPLE, null, "{\"simulator\": {\"fail\": true}}");
        awaitAsset(assetId, "failed");
        api().get(ASSETS + "/" + assetId)
                .then()
                .body("error.code", equalTo(Chaos.FAILED_ON_PURPOSE))
                .body("error.message", notNullValue());
    }

    @Test
    void directFileOverTheLimitIs413AndNothingIsKept() throws Exception {
        int before = assets.all().size();
        // the test profile's direct-max-size is 1 MiB: 3 MiB are refused on their declared length before the body is
        // read (so only the form's head is sent: a client still writing when the refusal closes the connection would
        // see a broken pipe), 1.5 MiB once the whole file has been read
        for (int[] sizes : new int[][] {{3 << 20, 0}, {3 << 19, 3 << 19}}) {
            String boundary = "sim-" + UUID.randomUUID();
            byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"method\"\r\n\r\ndirect\r\n--"
                            + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.mp4\"\r\n"
                            + "Content-Type: video/mp4\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.ISO_8859_1);
            long length = head.length + (long) sizes[0] + tail.length;
            byte[] sent = java.util.Arrays.copyOf(head, head.length + sizes[1] + (sizes[1] > 0 ? tail.length : 0));
            if (sizes[1] > 0) {
                byte[] file = new byte[sizes[1]];
                new Random(sizes[1]).nextBytes(file);
                System.arraycopy(file, 0, sent, head.length, file.length);
                System.arraycopy(tail, 0, sent, head.length + file.length, tail.length);
            }
            try (RawHttp request = new RawHttp(
                    "localhost",
                    RestAssured.port,
                    "POST",
                    ASSETS,
                    Map.of(
                            "x-api-key",
                            SimulatorTest.KEY,
                            "Content-Type",
                            "multipart/form-data; boundary=" + boundary,
                            "Content-Length",
                            Long.toString(length)),
                    sent)) {
                RawHttp.Answer answer = request.answer();
                assertThat(answer.status()).isEqualTo(413);
                assertThat(answer.body()).contains(AssetResource.TOO_LARGE);
            }
        }
        assertThat(assets.all()).hasSize(before);
    }

    @Test
    void listIsNewestFirstPagedAndFilteredAndDeleteForgets() {
        String name = UUID.randomUUID().toString();
        String first = direct(SAMPLE, name + "-1.mp4", null);
        String second = direct(SAMPLE, name + "-2.mp4", null);
        api().queryParam("filename", name.toUpperCase())
                .queryParam("page_limit", 1)
                .get(ASSETS)
                .then()
                .statusCode(200)
                .body("data", hasSize(1))
                .body("data[0]._id", equalTo(second))
                .body("page_info.page", equalTo(1))
                .body("page_info.limit_per_page", equalTo(1))
                .body("page_info.total_page", equalTo(2))
                .body("page_info.total_results", equalTo(2));
        api().queryParam("filename", name)
                .queryParam("page_limit", 1)
                .queryParam("page", 2)
                .get(ASSETS)
                .then()
                .body("data[0]._id", equalTo(first));

        int before = assets.all().size();
        api().delete(ASSETS + "/" + first).then().statusCode(204);
        assertThat(assets.all()).hasSize(before - 1);
        api().get(ASSETS + "/" + first).then().statusCode(404).body("code", equalTo("resource_not_exist"));
        api().delete(ASSETS + "/" + first).then().statusCode(404);
        api().queryParam("filename", name).get(ASSETS).then().body("page_info.total_results", equalTo(1));
    }

    @Test
    void requestsAreCheckedAsTwelveLabsChecksThem() {
        int before = assets.all().size();
        given().multiPart("method", "url")
                .multiPart("url", "http://localhost/v.mp4")
                .post(ASSETS)
                .then()
                .statusCode(401)
                .body("code", equalTo("api_key_invalid"));
        given().get(ASSETS).then().statusCode(401);
        api().multiPart("url", "http://localhost/v.mp4")
                .post(ASSETS)
                .then()
                .statusCode(400)
                .body("code", equalTo("parameter_not_provided"));
        api().multiPart("method", "upload")
                .multiPart("url", "http://localhost/v.mp4")
                .post(ASSETS)
                .then()
                .statusCode(400)
                .body("code", equalTo("parameter_invalid"));
        api().multiPart("method", "direct")
                .multiPart("url", "http://localhost/v.mp4")
                .post(ASSETS)
                .then()
                .statusCode(400)
                .body("code", equalTo("parameter_not_provided"));
        api().multiPart("method", "url")
                .multiPart("url", "ftp://localhost/v.mp4")
                .post(ASSETS)
                .then()
                .statusCode(400)
                .body("code", equalTo("parameter_invalid"));
        api().multiPart("method", "url")
                .multiPart("url", "http://localhost/v.mp4")
                .multiPart("user_metadata", "[1]")
                .post(ASSETS)
                .then()
                .statusCode(400)
                .body("code", equalTo("parameter_invalid"));
        api().queryParam("page_limit", 51)
                .get(ASSETS)
                .then()
                .statusCode(400)
                .body("code", equalTo("parameter_invalid"));
        api().get(ASSETS + "/" + "0".repeat(24)).then().statusCode(404).body("code", equalTo("resource_not_exist"));
        assertThat(assets.all()).hasSize(before);
    }

    @Test
    void whileTheSimulatorIsOffTheAssetRoutesAre404() {
        String assetId = direct(SAMPLE, null, null);
        int before = assets.all().size();
        guard.enable(false);
        try {
            api().get(ASSETS + "/" + assetId).then().statusCode(404).body("code", equalTo("resource_not_exist"));
            api().multiPart("method", "direct")
                    .multiPart("file", SAMPLE.toFile(), "video/mp4")
                    .post(ASSETS)
                    .then()
                    .statusCode(404);
            api().get(ASSETS + "/multipart-uploads").then().statusCode(404);
            api().get(SimulatorConfig.BASE_PATH + "/indexes/" + "0".repeat(24) + "/indexed-assets")
                    .then()
                    .statusCode(404);
            given().body(new byte[1])
                    .put(SimulatorConfig.STORAGE_PATH + "/" + "0".repeat(24) + "/1?expires=1&signature=0")
                    .then()
                    .statusCode(404)
                    .body("code", equalTo("resource_not_exist"));
        } finally {
            guard.enable(true);
        }
        assertThat(assets.all()).hasSize(before);
        api().get(ASSETS + "/" + assetId).then().statusCode(200);
    }

    @Test
    void throttleAndErrorsAnswerTheFirstReadsOfTheAsset() {
        String assetId = direct(SAMPLE, null, "{\"simulator\": {\"throttle\": 1, \"errors\": 1}}");
        api().get(ASSETS + "/" + assetId)
                .then()
                .statusCode(429)
                .header("Retry-After", "1")
                .body("code", equalTo("too_many_requests"));
        api().get(ASSETS + "/" + assetId).then().statusCode(500).body("code", equalTo("internal_server_error"));
        api().get(ASSETS + "/" + assetId).then().statusCode(200).body("_id", equalTo(assetId));
    }
}
