package io.reelhook.upload;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.testing.Api;
import io.reelhook.testing.TestVideos;
import io.reelhook.testing.TwelveLabsResource;
import io.restassured.RestAssured;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.Socket;
import java.nio.file.Files;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/** One client that stalls, or many at once, cannot hold back other uploads. */
@QuarkusTest
class UploadStallTest {

    @ConfigProperty(name = TwelveLabsResource.PORT)
    int wiremockPort;

    @ConfigProperty(name = "reelhook.upload.max-concurrent")
    int maxConcurrent;

    WireMock twelveLabs;

    @BeforeEach
    void resetUpstream() {
        twelveLabs = new WireMock("localhost", wiremockPort);
        twelveLabs.resetRequests();
        twelveLabs.removeMappings();
        twelveLabs.register(post(urlEqualTo("/v1.3/tasks"))
                .willReturn(okJson("{\"_id\":\"task_" + UUID.randomUUID() + "\",\"video_id\":null}")));
    }

    /**
     * The repro: an upload sends its headers and 64 KiB of its video and then nothing. Its upstream request
     * used to block the ordered blocking tasks of an event loop's context, and with them every later upload's body.
     */
    @Test
    void aStalledUploadDelaysNoOtherUpload() throws Exception {
        byte[] video = Files.readAllBytes(TestVideos.valid());
        try (Socket stalled = new Socket("localhost", RestAssured.port)) {
            UploadHardeningTest.stall(stalled);
            Thread.sleep(300);
            for (int i = 0; i < 4; i++) {
                // the GET moves the next connection to another event loop
                Api.given().get("/v1.3/tasks").then().statusCode(200);
                CompletableFuture<Integer> upload = CompletableFuture.supplyAsync(() -> Api.given()
                        .multiPart("index_id", "idx")
                        .multiPart("video_file", "v.mp4", video, "application/octet-stream")
                        .post("/v1.3/tasks")
                        .statusCode());
                assertThat(upload.get(20, TimeUnit.SECONDS)).as("upload %d", i).isEqualTo(200);
            }
        }
    }

    /**
     * More uploads at once than the limit: each one is taken or refused with 429, none waits for a thread another
     * one holds (each needs one request worker and one sender of its own pool, never a second worker).
     */
    @Test
    void moreConcurrentUploadsThanTheLimitAllFinish() throws Exception {
        byte[] video = Files.readAllBytes(TestVideos.valid());
        int uploads = maxConcurrent + 4;
        ExecutorService clients = Executors.newFixedThreadPool(uploads);
        try {
            List<CompletableFuture<Integer>> answers = IntStream.range(0, uploads)
                    .mapToObj(i -> CompletableFuture.supplyAsync(
                            () -> Api.given()
                                    .multiPart("index_id", "idx")
                                    .multiPart("video_file", "v" + i + ".mp4", video, "application/octet-stream")
                                    .post("/v1.3/tasks")
                                    .statusCode(),
                            clients))
                    .toList();
            for (CompletableFuture<Integer> answer : answers) {
                assertThat(answer.get(60, TimeUnit.SECONDS)).isIn(200, 429);
            }
            assertThat(answers).anyMatch(answer -> answer.join() == 200);
        } finally {
            clients.shutdownNow();
        }
    }
}
