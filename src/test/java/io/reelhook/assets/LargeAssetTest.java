package io.reelhook.assets;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.db.Jdbc;
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

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/**
 * {@code POST /v1.3/assets} of a file over Twelve Labs' direct limit (262144 bytes in tests): Reelhook sends it with
 * Twelve Labs' multipart upload, the built-in simulator playing Twelve Labs behind WireMock.
 */
@QuarkusTest
class LargeAssetTest {

    @ConfigProperty(name = TwelveLabsResource.PORT)
    int wiremockPort;

    @ConfigProperty(name = "twelvelabs.api-key")
    String upstreamKey;

    @ConfigProperty(name = "quarkus.http.body.uploads-directory")
    Path uploads;

    @Inject
    AssetPoller poller;

    @Inject
    DataSource db;

    WireMock twelveLabs;

    @BeforeEach
    void proxyToTheSimulator() {
        twelveLabs = new WireMock("localhost", wiremockPort);
        twelveLabs.resetRequests();
        twelveLabs.removeMappings();
        twelveLabs.register(SimulatorProxy.assetApi());
    }

    @Test
    void aLargeFileGoesUpInChunksAndIsIndexedOnceReady() throws Exception {
        TestVideos.assumeAvailable();
        byte[] file = Files.readAllBytes(TestVideos.make(1280, 720, 30));
        assertThat(file.length).isGreaterThan(262144);

        String assetId = Api.given()
                .multiPart("method", "direct")
                .multiPart("index_id", "idx_large")
                .multiPart("file", "large.mp4", file, "video/mp4")
                .post("/v1.3/assets")
                .then()
                .statusCode(201)
                .body("method", equalTo("multipart"))
                .body("filename", equalTo("large.mp4"))
                .extract()
                .path("_id");

        assertStored(onlySession(), file);
        assertThat(Jdbc.strings(db, "SELECT method || ':' || size_bytes FROM asset WHERE id = ?", assetId))
                .containsExactly("multipart:" + file.length);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    poller.pollDue();
                    assertThat(Jdbc.strings(db, "SELECT status FROM indexed_asset WHERE asset_id = ?", assetId))
                            .containsExactly("ready");
                });
        assertSpoolEmpty();
    }

    @Test
    void aFileThatIsNotTheLastPartIsSentAgainWithItsTrueSize() throws Exception {
        TestVideos.assumeAvailable();
        byte[] file = Files.readAllBytes(TestVideos.make(1280, 720, 30));

        Api.given()
                .multiPart("file", "first.mp4", file, "video/mp4")
                .multiPart("method", "direct")
                .multiPart("user_metadata", "{\"padding\":\"" + "x".repeat(4000) + "\"}")
                .post("/v1.3/assets")
                .then()
                .statusCode(201)
                .body("user_metadata.padding.size()", equalTo(4000));

        // a session begun with the foreseen size (if the file's first chunks were out before its end) never
        // completes; the last one holds the file
        List<String> sessions = sessions();
        assertThat(sessions).isNotEmpty();
        assertStored(sessions.get(sessions.size() - 1), file);
        sessions.subList(0, sessions.size() - 1)
                .forEach(id -> assertThat(session(id).getString("status")).isEqualTo("active"));
    }

    @Test
    void aBrokenLargeFileIsRefusedAndItsSessionNeverCompletes() throws Exception {
        TestVideos.assumeAvailable();
        long assets = Jdbc.number(db, "SELECT count(*) FROM asset", List.of());

        Api.given()
                .multiPart("method", "direct")
                .multiPart("file", "broken.mp4", Files.readAllBytes(TestVideos.randomBytes(600 * 1024)), "video/mp4")
                .post("/v1.3/assets")
                .then()
                .statusCode(400)
                .body("code", equalTo("video_file_broken"));

        // the session, if it was made before the refusal, never completes: its last chunk was held back
        sessions().forEach(id -> assertThat(session(id).getString("status")).isEqualTo("active"));
        assertThat(Jdbc.number(db, "SELECT count(*) FROM asset", List.of())).isEqualTo(assets);
        assertSpoolEmpty();
    }

    /** The upload ids of the multipart sessions Reelhook created in this test, oldest first. */
    private List<String> sessions() {
        return twelveLabs.getServeEvents().stream()
                .filter(e -> e.getRequest().getMethod().getName().equals("POST")
                        && e.getRequest().getUrl().equals("/v1.3/assets/multipart-uploads"))
                .sorted((a, b) ->
                        a.getRequest().getLoggedDate().compareTo(b.getRequest().getLoggedDate()))
                .map(ServeEvent::getResponse)
                .map(r -> JsonPath.from(r.getBodyAsString()).getString("upload_id"))
                .toList();
    }

    private String onlySession() {
        List<String> sessions = sessions();
        assertThat(sessions).hasSize(1);
        return sessions.get(0);
    }

    private JsonPath session(String uploadId) {
        return RestAssured.given()
                .header("x-api-key", upstreamKey)
                .get("/simulator/v1.3/assets/multipart-uploads/" + uploadId)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** The simulator's storage received the file, each chunk once, and the session is complete. */
    private void assertStored(String uploadId, byte[] file) throws Exception {
        JsonPath stored = session(uploadId);
        assertThat(stored.getString("status")).isEqualTo("completed");
        int chunkSize = 64 * 1024;
        int chunks = (file.length + chunkSize - 1) / chunkSize;
        for (int i = 1; i <= chunks; i++) {
            byte[] chunk = Arrays.copyOfRange(file, (i - 1) * chunkSize, Math.min(file.length, i * chunkSize));
            assertThat(stored.getString("simulator.sha256.'" + i + "'"))
                    .as("chunk %d", i)
                    .isEqualTo(HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(chunk)));
        }
        assertThat(stored.getMap("simulator.sha256")).hasSize(chunks);
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
