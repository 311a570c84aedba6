package io.reelhook.assets;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.db.Jdbc;
import io.reelhook.testing.SimulatorProxy;
import io.reelhook.testing.TestVideos;
import io.reelhook.testing.Tus;
import io.reelhook.testing.TwelveLabsResource;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A large resumable upload goes to Twelve Labs' multipart upload while it arrives (docs/resumable.md): the simulator
 * plays Twelve Labs and its storage behind WireMock, and tells how often each chunk was PUT.
 */
@QuarkusTest
class ForwardingTest {

    private static final int CHUNK = 64 * 1024;

    @ConfigProperty(name = TwelveLabsResource.PORT)
    int wiremockPort;

    @ConfigProperty(name = "twelvelabs.api-key")
    String upstreamKey;

    @Inject
    DataSource db;

    @BeforeEach
    void proxyToTheSimulator() {
        WireMock twelveLabs = new WireMock("localhost", wiremockPort);
        twelveLabs.resetRequests();
        twelveLabs.removeMappings();
        twelveLabs.register(SimulatorProxy.assetApi());
    }

    @Test
    void wholeChunksGoUpWhileTheUploadArrivesAndNoneTwice() throws Exception {
        TestVideos.assumeAvailable();
        byte[] video = Files.readAllBytes(TestVideos.make(1280, 720, 30));
        assertThat(video.length).isGreaterThan(6 * CHUNK);
        String id = create(video.length, "forwarded.mp4", null);
        int part = video.length * 3 / 5;
        patch(id, 0, Arrays.copyOf(video, part));

        // every whole chunk of the part is in Twelve Labs' storage while the upload is still receiving
        int whole = part / CHUNK;
        await().atMost(Duration.ofSeconds(30)).until(() -> reportedChunks(id) == whole);
        assertThat(status(id).getString("status")).isEqualTo("receiving");
        String session = session(id);
        JsonPath early = stored(session);
        for (int i = 1; i <= whole; i++) {
            assertThat(early.getInt("simulator.puts.'" + i + "'")).isEqualTo(1);
        }
        assertThat(early.getString("simulator.puts.'" + (whole + 1) + "'")).isNull();

        patch(id, part, Arrays.copyOfRange(video, part, video.length));
        JsonPath done =
                await().atMost(Duration.ofSeconds(30)).until(() -> status(id), s -> s.getString("asset_id") != null);
        assertThat(done.getString("status")).isEqualTo("complete");
        assertThat(done.getString("asset_id")).isEqualTo(assetOf(id));
        assertThat(session(id)).isEqualTo(session);
        assertStoredOnceEach(session, video);
    }

    @Test
    void aSessionThatLapsesDuringAPauseIsReplacedAndTheBytesSentAgain() throws Exception {
        TestVideos.assumeAvailable();
        byte[] video = Files.readAllBytes(TestVideos.make(1280, 720, 30));
        // the simulator lets this upload's sessions lapse after 6 s (Twelve Labs' after 24 h)
        String id = create(video.length, "paused.mp4", "{\"simulator\":{\"session_ttl\":\"6s\"}}");
        int part = video.length / 2;
        patch(id, 0, Arrays.copyOf(video, part));
        await().atMost(Duration.ofSeconds(30)).until(() -> reportedChunks(id) == part / CHUNK);
        String first = session(id);
        Instant lapses = Instant.ofEpochMilli(Jdbc.number(
                db,
                "SELECT (extract(epoch FROM expires_at) * 1000)::bigint FROM resumable_session WHERE upload_id = ?",
                List.of(id)));

        // the pause: the session is within two seconds of its end when the rest arrives
        await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(lapses.minusSeconds(2)));
        patch(id, part, Arrays.copyOfRange(video, part, video.length));
        JsonPath done = await().atMost(Duration.ofSeconds(30))
                .until(() -> status(id), s -> s.getString("asset_id") != null || s.getString("error") != null);
        assertThat(done.getString("error")).isNull();
        String second = session(id);
        assertThat(second).isNotEqualTo(first);
        assertThat(done.getString("asset_id")).isEqualTo(assetOf(id));
        assertStoredOnceEach(second, video);
    }

    private void assertStoredOnceEach(String session, byte[] video) throws Exception {
        JsonPath stored = stored(session);
        assertThat(stored.getString("status")).isEqualTo("completed");
        int chunks = (video.length + CHUNK - 1) / CHUNK;
        for (int i = 1; i <= chunks; i++) {
            byte[] chunk = Arrays.copyOfRange(video, (i - 1) * CHUNK, Math.min(video.length, i * CHUNK));
            assertThat(stored.getString("simulator.sha256.'" + i + "'"))
                    .as("chunk %d", i)
                    .isEqualTo(HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(chunk)));
            assertThat(stored.getInt("simulator.puts.'" + i + "'"))
                    .as("PUTs of chunk %d", i)
                    .isEqualTo(1);
        }
    }

    private long reportedChunks(String id) {
        return Jdbc.number(db, "SELECT count(*) FROM resumable_chunk WHERE upload_id = ? AND reported", List.of(id));
    }

    private String session(String id) {
        return Jdbc.strings(db, "SELECT session_id FROM resumable_session WHERE upload_id = ?", id)
                .get(0);
    }

    private String assetOf(String id) {
        return Jdbc.strings(db, "SELECT asset_id FROM resumable_session WHERE upload_id = ?", id)
                .get(0);
    }

    private JsonPath stored(String session) {
        return RestAssured.given()
                .header("x-api-key", upstreamKey)
                .get("/simulator/v1.3/assets/multipart-uploads/" + session)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    private static String create(int length, String filename, String userMetadata) {
        return Tus.create(
                length,
                Tus.pair("filename", filename)
                        + (userMetadata == null ? "" : "," + Tus.pair("user_metadata", userMetadata)));
    }

    private static void patch(String id, long offset, byte[] body) {
        Tus.patch(id, offset, body).then().statusCode(204);
    }

    private static JsonPath status(String id) {
        return Tus.status(id);
    }
}
