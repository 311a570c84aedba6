package io.reelhook.assets;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.testing.Api;
import io.reelhook.testing.SimulatorProxy;
import io.reelhook.testing.TestVideos;
import io.reelhook.testing.Tus;
import io.reelhook.testing.TwelveLabsResource;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Duration;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A resumable upload (tus) that completes becomes an asset, and with {@code index_id} an indexed asset: the built-in
 * simulator plays Twelve Labs behind WireMock.
 */
@QuarkusTest
class ResumableAssetTest {

    @ConfigProperty(name = TwelveLabsResource.PORT)
    int wiremockPort;

    @Inject
    AssetPoller poller;

    WireMock twelveLabs;

    @BeforeEach
    void proxyToTheSimulator() {
        twelveLabs = new WireMock("localhost", wiremockPort);
        twelveLabs.resetRequests();
        twelveLabs.removeMappings();
        twelveLabs.register(SimulatorProxy.assetApi());
    }

    @Test
    void aCompletedUploadBecomesAnAssetThenAnIndexedAsset() throws Exception {
        TestVideos.assumeAvailable();
        // over the direct limit in tests: it goes up in Twelve Labs' multipart upload
        byte[] video = Files.readAllBytes(TestVideos.make(1280, 720, 30));
        String id = upload(video, "resumed.mp4", "idx_resumable");

        JsonPath status = awaitUpload(id, "asset_id");
        assertThat(status.getString("status")).isEqualTo("complete");
        String assetId = status.getString("asset_id");
        Api.given().get("/v1.3/assets/" + assetId).then().statusCode(200);
        await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    poller.pollDue();
                    assertThat(Tus.status(id).getString("indexed_asset_id")).isNotNull();
                });
    }

    @Test
    void aBrokenVideoEndsTheUploadFailedWithTwelveLabsCode() throws Exception {
        TestVideos.assumeAvailable();
        String id = upload(Files.readAllBytes(TestVideos.randomBytes(40 * 1024)), "broken.mp4", null);

        JsonPath status = awaitUpload(id, "error");
        assertThat(status.getString("status")).isEqualTo("failed");
        assertThat(status.getString("error")).startsWith("video_file_broken");
        assertThat(status.getString("asset_id")).isNull();
        assertThat(twelveLabs.find(anyRequestedFor(urlMatching("/v1\\.3/assets.*"))))
                .isEmpty();
    }

    @Test
    void aVideoWhoseHeadIsTooShortIsRefusedBeforeTheRestArrives() throws Exception {
        TestVideos.assumeAvailable();
        byte[] video = Files.readAllBytes(faststart(1));
        assertThat(video.length).isGreaterThan(2 * 8192);
        String id = Tus.create(video.length, Tus.pair("filename", "short.mp4"));
        int part = video.length / 2;
        Tus.patch(id, 0, java.util.Arrays.copyOf(video, part)).then().statusCode(204);

        // the head (an mp4 with its index first) tells ffprobe the video lasts a second
        JsonPath status = awaitUpload(id, "error");
        assertThat(status.getString("status")).isEqualTo("failed");
        assertThat(status.getString("error")).startsWith("video_duration_too_short");
        Tus.patch(id, part, java.util.Arrays.copyOfRange(video, part, video.length))
                .then()
                .statusCode(410);
        assertThat(twelveLabs.find(anyRequestedFor(urlMatching("/v1\\.3/assets.*"))))
                .isEmpty();
    }

    /** A video of {@code seconds} with its index (moov) at the start, as ffmpeg's faststart writes it. */
    private static java.nio.file.Path faststart(int seconds) throws Exception {
        java.nio.file.Path out = Files.createTempFile("reelhook-faststart-", ".mp4");
        Process ffmpeg = new ProcessBuilder(
                        "ffmpeg",
                        "-y",
                        "-v",
                        "error",
                        "-f",
                        "lavfi",
                        "-i",
                        "testsrc=size=1280x720:rate=25",
                        "-t",
                        Integer.toString(seconds),
                        "-pix_fmt",
                        "yuv420p",
                        "-movflags",
                        "+faststart",
                        out.toString())
                .inheritIO()
                .start();
        assertThat(ffmpeg.waitFor()).isZero();
        return out;
    }

    /** Creates the upload and sends it in one PATCH; returns its id. */
    private static String upload(byte[] file, String filename, String indexId) {
        String id = Tus.create(
                file.length,
                Tus.pair("filename", filename) + (indexId == null ? "" : "," + Tus.pair("index_id", indexId)));
        Tus.patch(id, 0, file).then().statusCode(204);
        return id;
    }

    private static JsonPath awaitUpload(String id, String field) {
        return await().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> Tus.status(id), s -> s.getString(field) != null);
    }
}
