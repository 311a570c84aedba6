package io.reelhook.assets;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.db.Jdbc;
import io.reelhook.outbox.Topics;
import io.reelhook.testing.Api;
import io.reelhook.testing.Multipart;
import io.reelhook.testing.TestVideos;
import io.reelhook.testing.TwelveLabsResource;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

@QuarkusTest
class AssetResourceTest {

    @ConfigProperty(name = TwelveLabsResource.PORT)
    int wiremockPort;

    @ConfigProperty(name = "quarkus.http.body.uploads-directory")
    Path uploads;

    @Inject
    DataSource db;

    @Inject
    AssetPoller poller;

    WireMock twelveLabs;

    @BeforeEach
    void resetUpstream() {
        twelveLabs = new WireMock("localhost", wiremockPort);
        twelveLabs.resetRequests();
        twelveLabs.removeMappings();
    }

    @Test
    void aDirectUploadGoesToTwelveLabsWithItsFieldsAndIsRecorded() throws Exception {
        TestVideos.assumeAvailable();
        String assetId = "asset_" + UUID.randomUUID();
        stubCreated(assetId, "direct");
        byte[] video = Files.readAllBytes(TestVideos.valid());
        long events = count("SELECT count(*) FROM task_event WHERE asset_id = ?", assetId);

        Api.given()
                .multiPart("method", "direct")
                .multiPart("file", "clip.mp4", video, "video/mp4")
                .multiPart("enable_thumbnail", "true")
                .multiPart("user_metadata", "{\"team\":\"a\"}")
                .post("/v1.3/assets")
                .then()
                .statusCode(201)
                .body("_id", equalTo(assetId))
                .body("status", equalTo("processing"));

        LoggedRequest sent = onlyRequest("/v1.3/assets");
        Map<String, Multipart.Part> parts = Multipart.parse(sent.getHeader("Content-Type"), sent.getBody());
        assertThat(parts.get("method").text()).isEqualTo("direct");
        assertThat(parts.get("enable_thumbnail").text()).isEqualTo("true");
        assertThat(parts.get("user_metadata").text()).isEqualTo("{\"team\":\"a\"}");
        assertThat(parts.get("file").body()).isEqualTo(video);
        assertThat(count("SELECT count(*) FROM asset WHERE id = ? AND status = 'processing'", assetId))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM task_event WHERE asset_id = ? AND type = 'asset.processing'", assetId))
                .isEqualTo(events + 1);
        assertSpoolEmpty();

        // served from the database: Twelve Labs has no stub for the GET
        Api.given()
                .get("/v1.3/assets/" + assetId)
                .then()
                .statusCode(200)
                .body("_id", equalTo(assetId))
                .body("user_metadata.team", equalTo("a"));
        Api.given().get("/v1.3/assets?page_limit=50").then().statusCode(200).body("data._id", hasItem(assetId));
        Api.given()
                .get("/v1.3/assets?status=processing&filename=clip.mp4&page_limit=50")
                .then()
                .statusCode(200)
                .body("data._id", hasItem(assetId));
        Api.given()
                .get("/v1.3/assets?filename=other.mp4&page_limit=50")
                .then()
                .statusCode(200)
                .body("data._id", not(hasItem(assetId)));
    }

    @Test
    void aUrlAssetIsPolledToReadyThenIndexedAndTheIndexedAssetCompletes() {
        String assetId = "asset_" + UUID.randomUUID();
        String indexedId = "ia_" + UUID.randomUUID();
        stubCreated(assetId, "url");
        twelveLabs.register(get("/v1.3/indexes/idx_assets").willReturn(okJson("{\"_id\":\"idx_assets\"}")));

        Api.given()
                .multiPart("method", "url")
                .multiPart("url", "https://videos.example/cats.mp4")
                .multiPart("index_id", "idx_assets")
                .post("/v1.3/assets")
                .then()
                .statusCode(201)
                .body("_id", equalTo(assetId));
        Map<String, Multipart.Part> parts = Multipart.parse(
                onlyRequest("/v1.3/assets").getHeader("Content-Type"),
                onlyRequest("/v1.3/assets").getBody());
        assertThat(parts.get("url").text()).isEqualTo("https://videos.example/cats.mp4");
        assertThat(parts).doesNotContainKey("index_id");

        twelveLabs.register(get("/v1.3/assets/" + assetId)
                .willReturn(okJson("{\"_id\":\"" + assetId + "\",\"status\":\"ready\",\"file_type\":\"video/mp4\"}")));
        twelveLabs.register(post("/v1.3/indexes/idx_assets/indexed-assets")
                .withRequestBody(equalToJson("{\"asset_id\":\"" + assetId + "\"}"))
                .willReturn(aResponse()
                        .withStatus(202)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"_id\":\"" + indexedId + "\",\"asset_id\":\"" + assetId + "\"}")));
        pollUntil("SELECT count(*) FROM indexed_asset WHERE id = ?", indexedId);

        twelveLabs.register(get("/v1.3/indexes/idx_assets/indexed-assets/" + indexedId)
                .willReturn(okJson("{\"_id\":\"" + indexedId + "\",\"asset_id\":\"" + assetId
                        + "\",\"status\":\"ready\",\"system_metadata\":{\"duration\":12.5}}")));
        pollUntil("SELECT count(*) FROM indexed_asset WHERE id = ? AND status = 'ready'", indexedId);

        assertThat(Jdbc.strings(
                        db,
                        "SELECT type || ':' || completes FROM task_event WHERE asset_id = ? ORDER BY sequence",
                        assetId))
                .containsExactly(
                        "asset.processing:false",
                        "asset.ready:false",
                        "indexed_asset.pending:false",
                        "indexed_asset.ready:true");
        Api.given()
                .get("/v1.3/indexes/idx_assets/indexed-assets/" + indexedId)
                .then()
                .statusCode(200)
                .body("status", equalTo("ready"))
                .body("system_metadata.duration", equalTo(12.5f));
        Api.given()
                .get("/api/v1/assets/" + assetId + "/events")
                .then()
                .statusCode(200)
                .body(
                        "type",
                        equalTo(List.of(
                                "asset.processing", "asset.ready", "indexed_asset.pending", "indexed_asset.ready")))
                .body("[3].indexed_asset_id", equalTo(indexedId));

        // Kafka: the asset's events in order under its key, the indexed asset's completion under its own
        await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(Topics.readAll(Topics.TASK_EVENTS, Set.of(assetId)).stream()
                                .map(r -> r.value().replaceAll(".*\"type\":\"([^\"]+)\".*", "$1"))
                                .toList())
                        .containsExactly(
                                "asset.processing", "asset.ready", "indexed_asset.pending", "indexed_asset.ready"));
        assertThat(Topics.readAll(Topics.INDEXING_COMPLETED, Set.of(indexedId)))
                .singleElement()
                .satisfies(r -> assertThat(r.value()).contains("\"asset_id\":\"" + assetId + "\""));
    }

    @Test
    void aBrokenVideoIsRefusedWithTwelveLabsCodeBeforeAnythingGoesUpstream() throws Exception {
        TestVideos.assumeAvailable();
        long assets = count("SELECT count(*) FROM asset");

        Api.given()
                .multiPart("method", "direct")
                .multiPart("file", "broken.mp4", Files.readAllBytes(TestVideos.randomBytes(64 * 1024)), "video/mp4")
                .post("/v1.3/assets")
                .then()
                .statusCode(400)
                .body("code", equalTo("video_file_broken"));

        assertThat(twelveLabs.find(anyRequestedFor(anyUrl()))).isEmpty();
        assertThat(count("SELECT count(*) FROM asset")).isEqualTo(assets);
        assertSpoolEmpty();
    }

    @Test
    void anIndexTwelveLabsDoesNotKnowIsRefusedBeforeTheAssetIsMade() throws Exception {
        twelveLabs.register(get("/v1.3/indexes/idx_gone")
                .willReturn(aResponse()
                        .withStatus(404)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"code\":\"resource_not_exist\",\"message\":\"No index idx_gone.\"}")));
        long assets = count("SELECT count(*) FROM asset");

        Api.given()
                .multiPart("method", "direct")
                .multiPart("index_id", "idx_gone")
                .multiPart("file", "clip.mp4", Files.readAllBytes(TestVideos.valid()), "video/mp4")
                .post("/v1.3/assets")
                .then()
                .statusCode(404)
                .body("code", equalTo("resource_not_exist"))
                .body("message", equalTo("No index idx_gone."));

        assertThat(twelveLabs.find(postRequestedFor(anyUrl()))).isEmpty();
        assertThat(count("SELECT count(*) FROM asset")).isEqualTo(assets);
        assertSpoolEmpty();
    }

    @Test
    void aFileOverTheLimitOrTooShortIsRefusedAndNothingIsLeft() throws Exception {
        TestVideos.assumeAvailable();
        long assets = count("SELECT count(*) FROM asset");

        // over REELHOOK_ASSET_MAX_SIZE (5 MiB in tests), with no Content-Length to refuse it early
        Api.given()
                .multiPart("method", "direct")
                .multiPart("file", "huge.mp4", new java.io.ByteArrayInputStream(new byte[5 * 1024 * 1024 + 1]))
                .post("/v1.3/assets")
                .then()
                .statusCode(413)
                .body("code", equalTo("asset_filesize_too_large"));
        Api.given()
                .multiPart("method", "direct")
                .multiPart("file", "short.mp4", Files.readAllBytes(TestVideos.make(640, 360, 1)), "video/mp4")
                .post("/v1.3/assets")
                .then()
                .statusCode(400)
                .body("code", equalTo("video_duration_too_short"));

        assertThat(twelveLabs.find(anyRequestedFor(anyUrl()))).isEmpty();
        assertThat(count("SELECT count(*) FROM asset")).isEqualTo(assets);
        assertSpoolEmpty();
    }

    @Test
    void formMistakesAreRefusedAndNothingIsStoredOrSent() {
        long assets = count("SELECT count(*) FROM asset");

        Api.given()
                .multiPart("url", "https://x.example/a.mp4")
                .post("/v1.3/assets")
                .then()
                .statusCode(400)
                .body("code", equalTo("parameter_not_provided"));
        Api.given()
                .multiPart("method", "direct")
                .post("/v1.3/assets")
                .then()
                .statusCode(400)
                .body("code", equalTo("parameter_not_provided"));
        Api.given()
                .multiPart("method", "ftp")
                .multiPart("url", "https://x.example/a.mp4")
                .post("/v1.3/assets")
                .then()
                .statusCode(400)
                .body("code", equalTo("parameter_invalid"));
        Api.given()
                .multiPart("method", "url")
                .multiPart("url", "file:///etc/passwd")
                .post("/v1.3/assets")
                .then()
                .statusCode(400)
                .body("code", equalTo("parameter_invalid"));
        Api.given()
                .multiPart("method", "url")
                .multiPart("colour", "red")
                .post("/v1.3/assets")
                .then()
                .statusCode(400)
                .body("code", equalTo("parameter_unknown"));
        Api.given()
                .multiPart("method", "url")
                .multiPart("url", "https://x.example/a.mp4")
                .multiPart("user_metadata", "[1]")
                .post("/v1.3/assets")
                .then()
                .statusCode(400)
                .body("code", equalTo("parameter_invalid"));

        assertThat(twelveLabs.find(anyRequestedFor(anyUrl()))).isEmpty();
        assertThat(count("SELECT count(*) FROM asset")).isEqualTo(assets);
    }

    @Test
    void twelveLabsRefusalIsPassedOnAndNothingIsRecorded() {
        twelveLabs.register(post("/v1.3/assets")
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"code\":\"parameter_invalid\",\"message\":\"The url is not reachable.\"}")));
        long assets = count("SELECT count(*) FROM asset");

        Api.given()
                .multiPart("method", "url")
                .multiPart("url", "https://unreachable.example/a.mp4")
                .post("/v1.3/assets")
                .then()
                .statusCode(400)
                .body("code", equalTo("parameter_invalid"))
                .body("message", equalTo("The url is not reachable."));

        assertThat(count("SELECT count(*) FROM asset")).isEqualTo(assets);
    }

    @Test
    void readsOfUnknownAssetsAre404AndListsArePaged() {
        Api.given().get("/v1.3/assets/asset_nope").then().statusCode(404).body("code", equalTo("resource_not_exist"));
        Api.given().get("/api/v1/assets/asset_nope/events").then().statusCode(404);
        Api.given().get("/v1.3/indexes/idx/indexed-assets/ia_nope").then().statusCode(404);
        Api.given().get("/v1.3/assets?page_limit=51").then().statusCode(400).body("code", equalTo("parameter_invalid"));
        Api.given().get("/v1.3/assets?status=lost").then().statusCode(400);
        Api.given()
                .get("/v1.3/assets?page=1&page_limit=2")
                .then()
                .statusCode(200)
                .body("page_info.limit_per_page", equalTo(2))
                .body("page_info.page", equalTo(1));
        io.restassured.RestAssured.given().get("/v1.3/assets").then().statusCode(401);
    }

    @Test
    void indexingAnAssetPassesTwelveLabsAnswerOnAndRecordsIt() {
        String assetId = "asset_" + UUID.randomUUID();
        String indexedId = "ia_" + UUID.randomUUID();
        twelveLabs.register(post("/v1.3/indexes/idx_direct/indexed-assets")
                .willReturn(aResponse()
                        .withStatus(202)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"_id\":\"" + indexedId + "\",\"asset_id\":\"" + assetId + "\"}")));
        long events = count("SELECT count(*) FROM task_event WHERE indexed_asset_id = ?", indexedId);

        Api.given()
                .contentType("application/json")
                .body("{\"asset_id\":\"" + assetId + "\",\"enable_video_stream\":false}")
                .post("/v1.3/indexes/idx_direct/indexed-assets")
                .then()
                .statusCode(202)
                .body("_id", equalTo(indexedId));

        assertThat(count("SELECT count(*) FROM task_event WHERE indexed_asset_id = ?", indexedId))
                .isEqualTo(events + 1);
        Api.given()
                .get("/v1.3/indexes/idx_direct/indexed-assets")
                .then()
                .statusCode(200)
                .body("data._id", hasItem(indexedId));
        Api.given()
                .contentType("application/json")
                .body("{\"enable_video_stream\":false}")
                .post("/v1.3/indexes/idx_direct/indexed-assets")
                .then()
                .statusCode(400)
                .body("code", equalTo("parameter_not_provided"));
    }

    private void stubCreated(String assetId, String method) {
        twelveLabs.register(post("/v1.3/assets")
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"_id\":\"" + assetId + "\",\"method\":\"" + method
                                + "\",\"status\":\"processing\",\"filename\":\"clip.mp4\",\"created_at\":"
                                + "\"2026-12-02T10:00:00Z\"}")));
    }

    private LoggedRequest onlyRequest(String path) {
        List<LoggedRequest> requests = twelveLabs.find(postRequestedFor(urlEqualTo(path)));
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    private void pollUntil(String sql, String id) {
        await().atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    poller.pollDue();
                    assertThat(count(sql, id)).isEqualTo(1);
                });
    }

    private long count(String sql, Object... params) {
        return Jdbc.number(db, sql, java.util.Arrays.asList(params));
    }

    private void assertSpoolEmpty() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            if (Files.isDirectory(uploads)) {
                try (Stream<Path> files = Files.list(uploads)) {
                    assertThat(files.toList()).isEmpty();
                }
            }
        });
    }
}
