package io.reelhook.upload;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.testing.Api;
import io.reelhook.testing.TaskRows;
import io.reelhook.testing.TestVideos;
import io.reelhook.testing.TwelveLabsResource;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Uploads that must be refused before anything is stored, spooled or sent, and the limits on what one may take. */
@QuarkusTest
class UploadHardeningTest {

    @Inject
    TaskRows taskRows;

    static final String TASKS = "/v1.3/tasks";
    static final String BOUNDARY = "hardening-7c1";

    @ConfigProperty(name = TwelveLabsResource.PORT)
    int wiremockPort;

    @ConfigProperty(name = "quarkus.http.body.uploads-directory")
    Path uploads;

    @ConfigProperty(name = "reelhook.upload.journal-directory")
    Path journal;

    @ConfigProperty(name = "reelhook.upload.max-concurrent")
    int maxConcurrent;

    WireMock twelveLabs;

    @BeforeEach
    void resetUpstream() {
        twelveLabs = new WireMock("localhost", wiremockPort);
        twelveLabs.resetRequests();
        twelveLabs.removeMappings();
    }

    @Test
    void onlyTwelveLabsFieldsAreTaken() {
        refused(
                        form(text("index_id", "i"), text("video_url", "https://x/y.mp4"), text("callback", "x")),
                        400,
                        "parameter_unknown")
                .body("message", containsString("callback"));
        refused(form(text("index_id", "i"), file("thumbnail", "t.png", new byte[100])), 400, "parameter_unknown");
        // matched case-insensitively, as before
        refused(
                form(text("INDEX_ID", "i"), text("Video_Url", "ftp://x"), text("LANGUAGE", "en")),
                400,
                "parameter_invalid");
    }

    @Test
    void partsAndFieldsAreBounded() {
        byte[][] many = new byte[MultipartReader.MAX_PARTS + 1][];
        for (int i = 0; i < many.length; i++) {
            many[i] = text("language", "en");
        }
        refused(form(many), 400, "parameter_invalid").body("message", containsString("parts"));
        refused(
                form(text("index_id", "i".repeat(300)), text("video_url", "https://x/y.mp4")),
                400,
                "parameter_invalid");
        refused(
                form(
                        text("index_id", "i"),
                        text("video_url", "https://x/y.mp4"),
                        text("user_metadata", "{\"a\":\"" + "x".repeat(70_000) + "\"}")),
                400,
                "parameter_invalid");
        byte[] longHeader = ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"index_id\"\r\nX-Pad: "
                        + "p".repeat(9000) + "\r\n\r\ni\r\n")
                .getBytes(StandardCharsets.UTF_8);
        refused(form(longHeader), 400, "parameter_invalid").body("message", containsString("headers"));
    }

    /** What PostgreSQL would refuse after Twelve Labs made the task (the orphan of the issue) is refused first. */
    @Test
    void textPostgresWouldRefuseIsRefusedBeforeTwelveLabsIsAsked() {
        byte[] video = bytes(TestVideos.valid());
        refused(
                form(
                        text("index_id", "i"),
                        text("video_url", "https://x/y.mp4"),
                        text("user_metadata", "{\"a\":\"\\u0000\"}")),
                400,
                "parameter_invalid");
        refused(
                form(
                        text("index_id", "i"),
                        file("video_file", "v.mp4", video),
                        text("user_metadata", "{\"\\u0000\":1}")),
                400,
                "parameter_invalid");
        refused(form(text("index_id", "i\u0000"), text("video_url", "https://x/y.mp4")), 400, "parameter_invalid");
        refused(form(text("index_id", "i"), text("video_url", "https://x/%00.mp4")), 400, "parameter_invalid");
        refused(
                form(raw("index_id", new byte[] {'i', (byte) 0xff, (byte) 0xfe}), text("video_url", "https://x/y.mp4")),
                400,
                "parameter_invalid");
        refused(form(text("index_id", "i"), file("video_file", "a\u0000b.mp4", video)), 400, "parameter_invalid");
        refused(
                form(text("index_id", "i"), header("video_file", "filename*=utf-8''%C3%28.mp4", video)),
                400,
                "parameter_invalid");
        refused(
                form(text("index_id", "i"), header("video_file", "filename*=utf-8''%zz.mp4", video)),
                400,
                "parameter_invalid");
    }

    @Test
    void clientThatStopsSendingIsCutOffAndItsUploadRemoved() throws Exception {
        long tasks = countTasks();
        int sent = upstreamPosts();
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(30_000);
            stall(socket);
            await().atMost(Duration.ofSeconds(20)).until(() -> spooled() == 1);
            // the test profile's idle timeout is 5 s
            assertThat(readUntil(socket.getInputStream(), "}"))
                    .startsWith("HTTP/1.1 408")
                    .contains("request_timeout");
        }
        assertNothingLeftBehind();
        assertThat(countTasks()).isEqualTo(tasks);
        assertThat(upstreamPosts()).isEqualTo(sent);
    }

    @Test
    void uploadsBeyondTheLimitAre429BeforeTheirBodyIsRead() throws Exception {
        List<Socket> stalled = new java.util.concurrent.CopyOnWriteArrayList<>();
        // a byte every 500 ms keeps them under the idle timeout: slow, not silent
        Thread trickle = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    Thread.sleep(500);
                    for (Socket socket : stalled) {
                        socket.getOutputStream().write(0);
                        socket.getOutputStream().flush();
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    // a socket closed below
                }
            }
        });
        trickle.start();
        try {
            for (int i = 0; i < maxConcurrent; i++) {
                Socket socket = new Socket("localhost", RestAssured.port);
                socket.setSoTimeout(30_000);
                stall(socket);
                stalled.add(socket);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> spooled() == maxConcurrent);
            long tasks = countTasks();
            int sent = upstreamPosts();
            Api.given()
                    .multiPart("index_id", "i")
                    .multiPart("video_url", "https://x/y.mp4")
                    .post(TASKS)
                    .then()
                    .statusCode(429)
                    .body("code", equalTo("too_many_requests"))
                    .header("Retry-After", "10");
            assertThat(countTasks()).isEqualTo(tasks);
            assertThat(upstreamPosts()).isEqualTo(sent);
            assertThat(spooled()).isEqualTo(maxConcurrent);
        } finally {
            trickle.interrupt();
            trickle.join();
            for (Socket socket : stalled) {
                socket.close();
            }
        }
        assertNothingLeftBehind();
        // every permit came back: as many uploads as the limit run again
        String taskId = accepted();
        Api.given()
                .multiPart("index_id", "i")
                .multiPart("video_url", "https://x/y.mp4")
                .post(TASKS)
                .then()
                .statusCode(200)
                .body("_id", equalTo(taskId));
    }

    /** A reset after the whole body: Twelve Labs may have made the task, so it is looked up, not sent again. */
    @Test
    void lostAnswerIsLookedUpInsteadOfSentAgain() {
        String taskId = "task_" + UUID.randomUUID();
        twelveLabs.register(post(urlEqualTo(TASKS)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        // made a moment after the first attempt started (tests and WireMock share a clock)
        String made = OffsetDateTime.now().plusSeconds(30).toString();
        twelveLabs.register(WireMock.get(urlPathEqualTo(TASKS))
                .withQueryParam("filename", WireMock.equalTo("lost.mp4"))
                .withQueryParam("index_id", WireMock.equalTo("idx_lost"))
                .willReturn(okJson("{\"data\":[{\"_id\":\"" + taskId + "\",\"index_id\":\"idx_lost\",\"video_id\":null,"
                        + "\"status\":\"validating\",\"created_at\":\"" + made + "\","
                        + "\"system_metadata\":{\"filename\":\"lost.mp4\"}}],\"page_info\":{}}")));

        Api.given()
                .multiPart("index_id", "idx_lost")
                .multiPart("video_file", "lost.mp4", bytes(TestVideos.valid()), "application/octet-stream")
                .post(TASKS)
                .then()
                .statusCode(200)
                .body("_id", equalTo(taskId));

        assertThat(upstreamPosts()).isEqualTo(1);
        twelveLabs.verifyThat(1, getRequestedFor(urlPathEqualTo(TASKS)));
        Api.given().get(TASKS + "/" + taskId).then().statusCode(200).body("index_id", equalTo("idx_lost"));
        assertNothingLeftBehind();
    }

    /** The same for a {@code video_url} upload: looked up by the URL's file name, the query string left out. */
    @Test
    void lostAnswerToAVideoUrlIsLookedUpInsteadOfSentAgain() {
        String taskId = "task_" + UUID.randomUUID();
        long tasks = countTasks();
        twelveLabs.register(post(urlEqualTo(TASKS)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        String made = OffsetDateTime.now().plusSeconds(30).toString();
        // an older task for the same file and index (made before the upload) must not be taken for it
        String before = OffsetDateTime.now().minusHours(1).toString();
        twelveLabs.register(WireMock.get(urlPathEqualTo(TASKS))
                .withQueryParam("filename", WireMock.equalTo("far.mp4"))
                .withQueryParam("index_id", WireMock.equalTo("idx_lost_url"))
                .willReturn(okJson("{\"data\":[{\"_id\":\"" + taskId + "\",\"index_id\":\"idx_lost_url\","
                        + "\"video_id\":null,\"status\":\"pending\",\"created_at\":\"" + made + "\","
                        + "\"system_metadata\":{\"filename\":\"far.mp4\"}},"
                        + "{\"_id\":\"task_older\",\"index_id\":\"idx_lost_url\",\"video_id\":null,"
                        + "\"status\":\"ready\",\"created_at\":\"" + before + "\","
                        + "\"system_metadata\":{\"filename\":\"far.mp4\"}}],\"page_info\":{}}")));

        Api.given()
                .multiPart("index_id", "idx_lost_url")
                .multiPart("video_url", "https://videos.example/a/far.mp4?sig=abc")
                .post(TASKS)
                .then()
                .statusCode(200)
                .body("_id", equalTo(taskId));

        assertThat(upstreamPosts()).isEqualTo(1);
        twelveLabs.verifyThat(1, getRequestedFor(urlPathEqualTo(TASKS)));
        Api.given()
                .get(TASKS + "/" + taskId)
                .then()
                .statusCode(200)
                .body("index_id", equalTo("idx_lost_url"))
                .body("system_metadata.filename", equalTo("far.mp4"));
        assertThat(countTasks()).isEqualTo(tasks + 1);
    }

    /** Nothing made since the first attempt: the upload is sent again, once. */
    @Test
    void lostAnswerToAVideoUrlWithNoTaskMadeIsSentAgain() {
        String taskId = "task_" + UUID.randomUUID();
        twelveLabs.resetScenarios();
        twelveLabs.register(post(urlEqualTo(TASKS))
                .inScenario("lost")
                .whenScenarioStateIs(com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER))
                .willSetStateTo("answered"));
        twelveLabs.register(post(urlEqualTo(TASKS))
                .inScenario("lost")
                .whenScenarioStateIs("answered")
                .willReturn(okJson("{\"_id\":\"" + taskId + "\",\"video_id\":null}")));
        twelveLabs.register(WireMock.get(urlPathEqualTo(TASKS))
                .withQueryParam("filename", WireMock.equalTo("near.mp4"))
                .willReturn(okJson("{\"data\":[],\"page_info\":{}}")));

        Api.given()
                .multiPart("index_id", "idx_lost_url")
                .multiPart("video_url", "https://videos.example/near.mp4")
                .post(TASKS)
                .then()
                .statusCode(200)
                .body("_id", equalTo(taskId));

        assertThat(upstreamPosts()).isEqualTo(2);
        twelveLabs.verifyThat(1, getRequestedFor(urlPathEqualTo(TASKS)));
    }

    /**
     * Twelve Labs made the task, and the database refuses it (here: an id PostgreSQL cannot store): the write is
     * tried again, and the answer names the task instead of hiding it behind a bare error.
     */
    @Test
    void taskThatCannotBeStoredIsNamedInTheAnswer() throws IOException {
        Files.deleteIfExists(
                journal.resolve(PendingTasks.REFUSED).resolve(PendingTasks.fileName("task_unstorable\u0000")));
        long tasks = countTasks();
        twelveLabs.register(
                post(urlEqualTo(TASKS)).willReturn(okJson("{\"_id\":\"task_unstorable\\u0000\",\"video_id\":null}")));
        Api.given()
                .multiPart("index_id", "idx_db")
                .multiPart("video_url", "https://x/y.mp4")
                .post(TASKS)
                .then()
                .statusCode(503)
                .body("code", equalTo("database_unavailable"))
                .body("message", containsString("task_unstorable"));
        assertThat(upstreamPosts()).isEqualTo(1);
        assertThat(countTasks()).isEqualTo(tasks);
        // kept on disk; the database, up, keeps refusing it, so it is set aside for an operator, not retried for ever
        Path refused = journal.resolve(PendingTasks.REFUSED).resolve(PendingTasks.fileName("task_unstorable\u0000"));
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(refused));
        assertThat(journal.resolve(refused.getFileName())).doesNotExist();
        assertThat(countTasks()).isEqualTo(tasks);
    }

    /** Sends an upload's headers (declaring more than it sends) and 64 KiB of its video, then nothing. */
    static void stall(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1.3/tasks HTTP/1.1\r\nHost: localhost\r\nx-api-key: " + Api.KEY + "\r\n"
                        + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 6000000\r\n\r\n"
                        + "--b\r\nContent-Disposition: form-data; name=\"index_id\"\r\n\r\nidx_stall\r\n"
                        + "--b\r\nContent-Disposition: form-data; name=\"video_file\"; filename=\"s.mp4\"\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(new byte[64 * 1024]);
        out.flush();
    }

    private ValidatableResponse refused(byte[] body, int status, String code) {
        long tasks = countTasks();
        int sent = upstreamPosts();
        ValidatableResponse answer = Api.given()
                .contentType("multipart/form-data; boundary=" + BOUNDARY)
                .body(body)
                .post(TASKS)
                .then()
                .statusCode(status)
                .body("code", equalTo(code));
        assertThat(countTasks()).isEqualTo(tasks);
        assertThat(upstreamPosts()).isEqualTo(sent);
        assertNothingLeftBehind();
        return answer;
    }

    String accepted() {
        String taskId = "task_" + UUID.randomUUID();
        twelveLabs.register(
                post(urlEqualTo(TASKS)).willReturn(okJson("{\"_id\":\"" + taskId + "\",\"video_id\":null}")));
        return taskId;
    }

    static byte[] form(byte[]... parts) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            body.writeBytes(part);
        }
        body.writeBytes(("--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    static byte[] text(String name, String value) {
        return raw(name, value.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] raw(String name, byte[] value) {
        return part("name=\"" + name + "\"", value);
    }

    static byte[] file(String name, String filename, byte[] content) {
        return part("name=\"" + name + "\"; filename=\"" + filename + "\"", content);
    }

    static byte[] header(String name, String disposition, byte[] content) {
        return part("name=\"" + name + "\"; " + disposition, content);
    }

    private static byte[] part(String disposition, byte[] content) {
        ByteArrayOutputStream part = new ByteArrayOutputStream();
        part.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; " + disposition + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        part.writeBytes(content);
        part.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        return part.toByteArray();
    }

    int upstreamPosts() {
        return twelveLabs.find(postRequestedFor(urlEqualTo(TASKS))).size();
    }

    long spooled() throws IOException {
        if (!Files.isDirectory(uploads)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(uploads)) {
            return files.count();
        }
    }

    void assertNothingLeftBehind() {
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(spooled()).isZero());
    }

    long countTasks() {
        return taskRows.count();
    }

    static String readUntil(InputStream in, String end) throws IOException {
        StringBuilder answer = new StringBuilder();
        while (answer.indexOf(end) < 0) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            answer.append((char) b);
        }
        return answer.toString();
    }

    static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
