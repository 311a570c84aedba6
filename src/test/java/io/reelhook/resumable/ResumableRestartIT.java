package io.reelhook.resumable;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * kill -9 of the packaged application in the middle of a resumable upload: after a restart, HEAD answers the offset
 * acknowledged before the kill, the client sends the rest from there, and the upload becomes an asset. The jar runs
 * as shipped (embedded PostgreSQL and Kafka, the built-in simulator as Twelve Labs), on ports and a data directory of
 * its own, started and SIGKILLed by this test.
 */
class ResumableRestartIT {

    private static final Duration PATIENCE = Duration.ofSeconds(90);
    private static final String KEY = "it-client-key";

    private final int httpPort = freePort();
    private final int managementPort = freePort();
    private final int kafkaPort = freePort();
    private Path dataDir;

    @Test
    void aKilledReelhookResumesTheUploadWhereItsAcknowledgedBytesEnd() throws Exception {
        dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "resumable-restart-it-")
                .toAbsolutePath();
        byte[] video = Files.readAllBytes(Path.of("samples/sample.mp4"));
        int half = video.length / 2;
        Process app = start();
        String id;
        try {
            String location = tus().header("Upload-Length", video.length)
                    .header("Upload-Metadata", "filename " + b64("sample.mp4") + ",index_id " + b64("it-index"))
                    .post("/uploads")
                    .then()
                    .statusCode(201)
                    .extract()
                    .header("Location");
            id = location.substring(location.lastIndexOf('/') + 1);
            tus().header("Upload-Offset", 0)
                    .contentType("application/offset+octet-stream")
                    .body(Arrays.copyOf(video, half))
                    .patch("/uploads/" + id)
                    .then()
                    .statusCode(204);
        } finally {
            // SIGKILL: no shutdown hook runs
            app.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }

        app = start();
        try {
            assertThat(tus().head("/uploads/" + id)
                            .then()
                            .statusCode(200)
                            .extract()
                            .header("Upload-Offset"))
                    .isEqualTo(Integer.toString(half));
            tus().header("Upload-Offset", half)
                    .contentType("application/offset+octet-stream")
                    .body(Arrays.copyOfRange(video, half, video.length))
                    .patch("/uploads/" + id)
                    .then()
                    .statusCode(204);
            await().atMost(PATIENCE)
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> client().get("/api/v1/uploads/" + id)
                                    .then()
                                    .extract()
                                    .path("asset_id")
                            != null);
            assertThat(client().get("/api/v1/uploads/" + id).then().extract().<Integer>path("offset"))
                    .isEqualTo(video.length);
        } finally {
            app.destroy();
            app.waitFor(60, TimeUnit.SECONDS);
        }
    }

    private Process start() throws IOException {
        Path log = dataDir.resolve("app-" + System.nanoTime() + ".log");
        Process app = new ProcessBuilder(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Dreelhook.data-dir=" + dataDir,
                        "-Dreelhook.embedded-kafka.port=" + kafkaPort,
                        "-Dquarkus.http.port=" + httpPort,
                        "-Dquarkus.management.port=" + managementPort,
                        "-Dreelhook.api-keys=" + KEY,
                        // blank: the simulator is the upstream even where TWELVELABS_API_KEY is set
                        "-Dtwelvelabs.api-key=",
                        "-Dreelhook.simulator.step=200ms",
                        "-Dreelhook.asset.poll-first=200ms",
                        "-jar",
                        "target/quarkus-app/quarkus-run.jar"))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            awaitReady(app, log);
        } catch (RuntimeException | Error e) {
            app.destroyForcibly();
            throw e;
        }
        return app;
    }

    private void awaitReady(Process app, Path log) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!app.isAlive()) {
                throw new AssertionError("the application stopped; see " + log);
            }
            try {
                return RestAssured.given()
                                .baseUri("http://localhost:" + managementPort)
                                .get("/q/health/ready")
                                .statusCode()
                        == 200;
            } catch (Exception notYet) {
                return false;
            }
        });
    }

    private RequestSpecification client() {
        return RestAssured.given().baseUri("http://localhost:" + httpPort).header("x-api-key", KEY);
    }

    private RequestSpecification tus() {
        return client().header("Tus-Resumable", "1.0.0");
    }

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
