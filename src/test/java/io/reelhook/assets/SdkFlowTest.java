package io.reelhook.assets;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.testing.Api;
import io.reelhook.testing.SimulatorProxy;
import io.reelhook.testing.TestVideos;
import io.reelhook.testing.TwelveLabsResource;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * The call sequence of Twelve Labs' SDKs (multipart_upload.upload_file, then assets.retrieve until ready, then
 * indexed_assets.create and retrieve until ready) against Reelhook, with the built-in simulator as Twelve Labs behind
 * WireMock: the chunks go straight to the simulator's storage, never through Reelhook.
 */
@QuarkusTest
class SdkFlowTest {

    @ConfigProperty(name = TwelveLabsResource.PORT)
    int wiremockPort;

    @ConfigProperty(name = "twelvelabs.api-key")
    String upstreamKey;

    @Inject
    AssetPoller poller;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void proxyToTheSimulator() {
        WireMock twelveLabs = new WireMock("localhost", wiremockPort);
        twelveLabs.resetRequests();
        twelveLabs.removeMappings();
        twelveLabs.register(SimulatorProxy.assetApi());
    }

    @Test
    void uploadInChunksPollToReadyIndexAndPollTheIndexedAsset() throws Exception {
        TestVideos.assumeAvailable();
        byte[] file = Files.readAllBytes(TestVideos.make(640, 360, 12));
        String index = "idx" + UUID.randomUUID().toString().replace("-", "").substring(0, 21);

        JsonPath session = Api.given()
                .contentType("application/json")
                .body(Map.of("filename", "sdk.mp4", "type", "video", "total_size", file.length))
                .post("/v1.3/assets/multipart-uploads")
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
        String uploadId = session.getString("upload_id");
        String assetId = session.getString("asset_id");
        int chunkSize = session.getInt("chunk_size");
        int chunks = session.getInt("total_chunks");
        assertThat(chunks).isGreaterThan(2);
        Map<Integer, String> urls = new TreeMap<>();
        session.getList("upload_urls", Map.class)
                .forEach(u -> urls.put((Integer) u.get("chunk_index"), (String) u.get("url")));
        assertThat(urls).hasSizeLessThan(chunks);

        List<Map<String, Object>> done = new ArrayList<>();
        for (int i = 1; i <= chunks; i++) {
            if (!urls.containsKey(i)) {
                Api.given()
                        .contentType("application/json")
                        .body(Map.of("start", i, "count", 50))
                        .post("/v1.3/assets/multipart-uploads/" + uploadId + "/presigned-urls")
                        .then()
                        .statusCode(200)
                        .extract()
                        .jsonPath()
                        .getList("upload_urls", Map.class)
                        .forEach(u -> urls.put((Integer) u.get("chunk_index"), (String) u.get("url")));
            }
            byte[] chunk = Arrays.copyOfRange(file, (i - 1) * chunkSize, Math.min(file.length, i * chunkSize));
            HttpResponse<String> put = http.send(
                    HttpRequest.newBuilder(URI.create(urls.get(i)))
                            .PUT(HttpRequest.BodyPublishers.ofByteArray(chunk))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).isEqualTo(200);
            done.add(Map.of(
                    "chunk_index",
                    i,
                    "proof",
                    put.headers().firstValue("ETag").orElseThrow(),
                    "proof_type",
                    "etag",
                    "chunk_size",
                    chunk.length));
            if (done.size() == 2 || i == chunks) {
                Api.given()
                        .contentType("application/json")
                        .body(Map.of("completed_chunks", done))
                        .post("/v1.3/assets/multipart-uploads/" + uploadId)
                        .then()
                        .statusCode(200);
                done.clear();
            }
        }

        awaitStatus("/v1.3/assets/" + assetId, "ready");
        String indexedId = Api.given()
                .contentType("application/json")
                .body(Map.of("asset_id", assetId))
                .post("/v1.3/indexes/" + index + "/indexed-assets")
                .then()
                .statusCode(202)
                .body("asset_id", equalTo(assetId))
                .extract()
                .path("_id");
        awaitStatus("/v1.3/indexes/" + index + "/indexed-assets/" + indexedId, "ready");

        // what the simulator's storage received, chunk by chunk, is the file
        JsonPath stored = RestAssured.given()
                .header("x-api-key", upstreamKey)
                .get("/simulator/v1.3/assets/multipart-uploads/" + uploadId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
        for (int i = 1; i <= chunks; i++) {
            byte[] chunk = Arrays.copyOfRange(file, (i - 1) * chunkSize, Math.min(file.length, i * chunkSize));
            assertThat(stored.getString("simulator.sha256.'" + i + "'"))
                    .isEqualTo(HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(chunk)));
            assertThat(stored.getInt("simulator.puts.'" + i + "'")).isEqualTo(1);
        }
        // a poll may miss a short-lived status in between, never the order or the ends
        List<String> types = Api.given()
                .get("/api/v1/assets/" + assetId + "/events")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("type", String.class);
        assertThat(types)
                .startsWith("asset.processing", "asset.ready", "indexed_asset.pending")
                .endsWith("indexed_asset.ready")
                .isSubsetOf(ORDER)
                .isSortedAccordingTo(java.util.Comparator.comparingInt(ORDER::indexOf));
    }

    private static final List<String> ORDER = List.of(
            "asset.processing",
            "asset.ready",
            "indexed_asset.pending",
            "indexed_asset.queued",
            "indexed_asset.indexing",
            "indexed_asset.ready");

    /** The SDK's own loop: retrieve until the status is reached, while Reelhook polls Twelve Labs. */
    private void awaitStatus(String path, String status) {
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    poller.pollDue();
                    Api.given().get(path).then().statusCode(200).body("status", equalTo(status));
                });
    }
}
