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

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
class UploadStallTest {

    @ConfigProperty(name = TwelveLabsResource.PORT)
    int wiremockPort;

    WireMock twelveLabs;

    @BeforeEach
    void resetUpstream() {
        twelveLabs = new WireMock("localhost", wiremockPort);
        twelveLabs.resetRequests();
        twelveLabs.removeMappings();
    }

    @Test
    void aStalledUploadDelaysNoOtherUpload() throws Exception {
        String taskId = "task_" + UUID.randomUUID();
        twelveLabs.register(post(urlEqualTo("/v1.3/tasks"))
                .willReturn(okJson("{\"_id\":\"" + taskId + "\",\"video_id\":null}")));
        byte[] video = Files.readAllBytes(TestVideos.valid());
        try (Socket stalled = new Socket("localhost", RestAssured.port)) {
            OutputStream out = stalled.getOutputStream();
            out.write(("POST /v1.3/tasks HTTP/1.1\r\nHost: localhost\r\nx-api-key: " + Api.KEY + "\r\n"
                    + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 6000000\r\n\r\n"
                    + "--b\r\nContent-Disposition: form-data; name=\"video_file\"; filename=\"s.mp4\"\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[64 * 1024]);
            out.flush();
            Thread.sleep(500);
            for (int i = 0; i < 8; i++) {
                Api.given().get("/v1.3/tasks").then().statusCode(200);
                CompletableFuture<Integer> upload = CompletableFuture.supplyAsync(() -> Api.given()
                        .multiPart("index_id", "idx").multiPart("video_file", "v.mp4", video, "application/octet-stream")
                        .post("/v1.3/tasks").statusCode());
                try {
                    assertThat(upload.get(20, TimeUnit.SECONDS)).as("upload %d", i).isEqualTo(200);
                } catch (java.util.concurrent.TimeoutException e) {
                    System.out.println("TIMEOUT at " + i);
                    for (var t : java.lang.management.ManagementFactory.getThreadMXBean().dumpAllThreads(false, false)) {
                        if (t.getThreadName().contains("vert.x") || t.getThreadName().contains("executor")) {
                            System.out.println("THREAD " + t.getThreadName() + " " + t.getThreadState());
                            for (var f : t.getStackTrace()) System.out.println("    " + f);
                        }
                    }
                    throw e;
                }
            }
        }
    }
}
