package io.reelhook.upload;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.testing.Api;
import io.reelhook.testing.TaskRows;
import io.reelhook.testing.TwelveLabsResource;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Random bodies, boundaries and form shapes at {@code POST /v1.3/tasks}, none of them a valid upload (each lacks
 * its index, has an unknown field or breaks off): never a 5xx, never a stored row, never a spooled file left,
 * never a complete request at Twelve Labs (even where the video was already streaming there).
 */
@QuarkusTest
class UploadFuzzTest {

    @Inject
    TaskRows taskRows;

    private static final Logger LOG = Logger.getLogger(UploadFuzzTest.class);
    private static final int TRIES = 200;

    @ConfigProperty(name = TwelveLabsResource.PORT)
    int wiremockPort;

    @ConfigProperty(name = "quarkus.http.body.uploads-directory")
    Path uploads;

    WireMock twelveLabs;

    @BeforeEach
    void resetUpstream() {
        twelveLabs = new WireMock("localhost", wiremockPort);
        twelveLabs.resetRequests();
        twelveLabs.removeMappings();
        // an upstream that would take anything: a request that got through would be seen and counted
        twelveLabs.register(post(urlEqualTo("/v1.3/tasks")).willReturn(okJson("{\"_id\":\"fuzz\",\"video_id\":null}")));
    }

    @Test
    void noRandomBodyMakesA5xxARowAFileOrAnUpstreamRequest() {
        long seed = System.nanoTime();
        LOG.infof("upload fuzz seed %d", seed);
        Random random = new Random(seed);
        long tasks = countTasks();
        int sent = twelveLabs.find(postRequestedFor(urlEqualTo("/v1.3/tasks"))).size();
        for (int i = 0; i < TRIES; i++) {
            String boundary = random.nextInt(10) == 0 ? "x" + random.nextInt(1000) : "fz" + random.nextInt(1_000_000);
            byte[] body = body(random, boundary);
            String contentType = switch (random.nextInt(8)) {
                case 0 -> "multipart/form-data";
                case 1 -> "multipart/form-data; boundary=\"" + boundary + "\"";
                case 2 -> "multipart/form-data; boundary=" + boundary + "; boundary=other";
                default -> "multipart/form-data; boundary=" + boundary;
            };
            Response answer = Api.given().contentType(contentType).body(body).post("/v1.3/tasks");
            assertThat(answer.statusCode())
                    .as("try %d (seed %d): %s", i, seed, answer.asString())
                    .isBetween(400, 499);
            assertThat(answer.jsonPath().getString("code"))
                    .as("try %d (seed %d)", i, seed)
                    .isNotBlank();
        }
        assertThat(countTasks()).isEqualTo(tasks);
        assertThat(twelveLabs.find(postRequestedFor(urlEqualTo("/v1.3/tasks")))).hasSize(sent);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(spooled()).isZero());
    }

    private static byte[] body(Random random, String boundary) {
        if (random.nextInt(4) == 0) {
            byte[] bytes = new byte[random.nextInt(3000)];
            random.nextBytes(bytes);
            return bytes;
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (random.nextBoolean()) {
            body.writeBytes("preamble\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        // which flaw makes it invalid: 0 no index, 1 an unknown field, 2 broken off
        int flaw = random.nextInt(3);
        int parts = 1 + random.nextInt(5);
        int unknownAt = random.nextInt(parts);
        for (int p = 0; p < parts; p++) {
            String name = flaw == 1 && p == unknownAt
                    ? pick(random, "x", "file", "index", "video", "\u00e9t\u00e9")
                    : pick(
                            random,
                            "video_file",
                            "video_url",
                            "language",
                            "enable_video_stream",
                            "user_metadata",
                            flaw == 0 ? "language" : "index_id");
            String disposition = "Content-Disposition: form-data; name=\"" + name + "\"";
            byte[] content;
            if (name.equals("video_file")) {
                disposition += random.nextInt(5) == 0
                        ? "; filename*=utf-8''%" + Integer.toHexString(random.nextInt(256))
                        : "; filename=\"" + pick(random, "v.mp4", "a b.mov", "\u00e9.mp4", "") + "\"";
                content = new byte[random.nextInt(100_000)];
                random.nextBytes(content);
            } else {
                content = pick(
                                random,
                                "i",
                                "true",
                                "maybe",
                                "{\"a\":1}",
                                "{\"a\":\"\\u0000\"}",
                                "[1]",
                                "https://x/y.mp4",
                                "\u0000",
                                "")
                        .getBytes(StandardCharsets.UTF_8);
            }
            body.writeBytes(("--" + boundary + "\r\n" + disposition + "\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            body.writeBytes(content);
            body.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        byte[] whole = body.toByteArray();
        if (flaw == 2) {
            // broken off somewhere: the closing boundary never comes
            return java.util.Arrays.copyOf(whole, random.nextInt(whole.length + 1));
        }
        ByteArrayOutputStream closed = new ByteArrayOutputStream();
        closed.writeBytes(whole);
        closed.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return closed.toByteArray();
    }

    @SafeVarargs
    private static <T> T pick(Random random, T... options) {
        return options[random.nextInt(options.length)];
    }

    long spooled() throws IOException {
        if (!Files.isDirectory(uploads)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(uploads)) {
            return files.count();
        }
    }

    long countTasks() {
        return taskRows.count();
    }
}
