package io.reelhook.upload;

import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.task.TaskEvent;
import io.reelhook.testing.Api;
import io.reelhook.testing.EventRows;
import io.reelhook.testing.Multipart;
import io.reelhook.testing.TaskRows;
import io.reelhook.testing.TestVideos;
import io.reelhook.testing.TwelveLabsResource;
import io.restassured.RestAssured;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

@QuarkusTest
class UploadResourceTest {

    @Inject
    TaskRows taskRows;

    @Inject
    EventRows eventRows;

    private static final String TASKS = "/v1.3/tasks";

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
    }

    @Test
    void pythonRequestsShapedUploadForwardsTheExactBytes() throws Exception {
        String taskId = acceptedUpstream();
        Path video = TestVideos.valid();

        Api.given()
                .multiPart("index_id", "idx_py")
                .multiPart("language", "en")
                .multiPart("video_file", "my video.mp4", Files.readAllBytes(video), "application/octet-stream")
                .post(TASKS)
                .then()
                .statusCode(200)
                .header("Location", TASKS + "/" + taskId)
                .body("_id", equalTo(taskId))
                .body("video_id", equalTo("vid_" + taskId));

        LoggedRequest sent = onlyUpstreamRequest();
        assertThat(sent.getHeader("x-api-key")).isEqualTo("test-upstream-key");
        assertThat(sha256(parts(sent).get("video_file").body())).isEqualTo(sha256(Files.readAllBytes(video)));
        assertThat(parts(sent).get("video_file").headers().get("content-disposition"))
                .contains("filename=\"my video.mp4\"");
        assertThat(parts(sent).get("index_id").text()).isEqualTo("idx_py");
        assertThat(parts(sent)).doesNotContainKey("language");

        Api.given()
                .get(TASKS + "/" + taskId)
                .then()
                .statusCode(200)
                .body("_id", equalTo(taskId))
                .body("index_id", equalTo("idx_py"))
                .body("video_id", equalTo("vid_" + taskId))
                .body("status", equalTo("validating"))
                .body("system_metadata.filename", equalTo("my video.mp4"))
                .body("metadata.filename", equalTo("my video.mp4"))
                .body("user_metadata", nullValue());
        TaskEvent first = eventRows.ofTask(taskId).get(0);
        assertThat(first.source()).isEqualTo("upload");
        assertThat(first.status()).isEqualTo("validating");
        assertThat(first.type()).isEqualTo("index.task.validating");
        assertNothingLeftBehind();
    }

    @Test
    void nodeFormDataShapedUploadWithUppercaseIndexIdWorks() throws Exception {
        String taskId = acceptedUpstream();
        Path video = TestVideos.valid();

        Api.given()
                .multiPart("video_file", "clip.mp4", Files.readAllBytes(video), "application/octet-stream")
                .multiPart("INDEX_ID", "idx_node")
                .multiPart("LANGUAGE", "en")
                .multiPart("user_metadata", "{\"team\":\"search\",\"n\":1}")
                .post(TASKS)
                .then()
                .statusCode(200)
                .body("_id", equalTo(taskId));

        LoggedRequest sent = onlyUpstreamRequest();
        assertThat(parts(sent).get("index_id").text()).isEqualTo("idx_node");
        assertThat(parts(sent).get("user_metadata").text()).isEqualTo("{\"team\":\"search\",\"n\":1}");
        Api.given().get(TASKS + "/" + taskId).then().body("user_metadata.team", equalTo("search"));
    }

    @Test
    void videoUrlIsForwardedWithoutAFile() {
        String taskId = acceptedUpstream();
        Api.given()
                .multiPart("index_id", "idx_url")
                .multiPart("video_url", "https://cdn.example.com/v/talk.mp4")
                .multiPart("enable_video_stream", "false")
                .post(TASKS)
                .then()
                .statusCode(200)
                .body("_id", equalTo(taskId));

        LoggedRequest sent = onlyUpstreamRequest();
        assertThat(parts(sent).get("video_url").text()).isEqualTo("https://cdn.example.com/v/talk.mp4");
        assertThat(parts(sent).get("enable_video_stream").text()).isEqualTo("false");
        Api.given().get(TASKS + "/" + taskId).then().body("system_metadata.filename", equalTo("talk.mp4"));
    }

    @Test
    void badParametersAreRefusedBeforeTwelveLabsIsAsked() throws Exception {
        byte[] video = Files.readAllBytes(TestVideos.valid());
        rejected(
                Api.given().multiPart("video_file", "a.mp4", video, "application/octet-stream"),
                400,
                "parameter_not_provided");
        rejected(Api.given().multiPart("index_id", "i"), 400, "parameter_not_provided");
        rejected(
                Api.given()
                        .multiPart("index_id", "i")
                        .multiPart("video_url", "https://x/y.mp4")
                        .multiPart("video_file", "a.mp4", video, "application/octet-stream"),
                400,
                "parameter_invalid");
        rejected(
                Api.given().multiPart("index_id", "i").multiPart("video_url", "ftp://x/y.mp4"),
                400,
                "parameter_invalid");
        rejected(
                Api.given()
                        .multiPart("index_id", "i")
                        .multiPart("video_url", "https://x/y.mp4")
                        .multiPart("user_metadata", "[1,2]"),
                400,
                "parameter_invalid");
        rejected(
                Api.given()
                        .multiPart("index_id", "i")
                        .multiPart("video_url", "https://x/y.mp4")
                        .multiPart("user_metadata", "not json"),
                400,
                "parameter_invalid");
        rejected(
                Api.given()
                        .multiPart("index_id", "i")
                        .multiPart("video_url", "https://x/y.mp4")
                        .multiPart("enable_video_stream", "maybe"),
                400,
                "parameter_invalid");
        rejected(
                Api.given().contentType("application/json").body("{\"index_id\":\"i\"}"),
                415,
                "unsupported_media_type");
        twelveLabs.verifyThat(0, postRequestedFor(urlEqualTo(TASKS)));
    }

    @Test
    void clientKeyIsRequired() {
        for (String key : new String[] {null, "wrong-key"}) {
            var request = RestAssured.given().multiPart("index_id", "i").multiPart("video_url", "https://x/y.mp4");
            if (key != null) {
                request.header("x-api-key", key);
            }
            request.post(TASKS).then().statusCode(401).body("code", equalTo("api_key_invalid"));
        }
        RestAssured.given().get(TASKS).then().statusCode(401).body("code", equalTo("api_key_invalid"));
        twelveLabs.verifyThat(0, postRequestedFor(urlEqualTo(TASKS)));
    }

    @Test
    void fileOverTheSizeLimitIs413() {
        // the test profile lowers the limit to 5 MiB
        rejected(
                Api.given()
                        .multiPart("index_id", "i")
                        .multiPart(
                                "video_file",
                                "big.mp4",
                                bytes(TestVideos.randomBytes(5 * 1024 * 1024 + 1)),
                                "application/octet-stream"),
                413,
                "video_filesize_too_large");
        twelveLabs.verifyThat(0, postRequestedFor(urlEqualTo(TASKS)));
    }

    @Test
    void declaredOversizeBodyIsCutOffBeforeItIsRead() throws IOException {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /v1.3/tasks HTTP/1.1\r\nHost: localhost\r\nx-api-key: " + Api.KEY + "\r\n"
                            + "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 3000000000\r\n\r\n--b\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(readUntil(socket.getInputStream(), "}"))
                    .startsWith("HTTP/1.1 413")
                    .contains("video_filesize_too_large");
        }
    }

    @Test
    void bodyOfUnknownLengthIsReceivedWholeThenForwarded() throws IOException {
        String taskId = acceptedUpstream();
        byte[] video = Files.readAllBytes(TestVideos.valid());

        String answer = sendChunked(form("idx_chunked", "video_file", "v.mp4", video), true);

        assertThat(answer).startsWith("HTTP/1.1 200").contains(taskId);
        LoggedRequest sent = onlyUpstreamRequest();
        assertThat(sent.getHeader("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(sha256(parts(sent).get("video_file").body())).isEqualTo(sha256(video));
        assertThat(parts(sent).get("index_id").text()).isEqualTo("idx_chunked");
        assertNothingLeftBehind();
    }

    @Test
    void bodyOfUnknownLengthIsCutOffAtTheLimit() throws IOException {
        // the test profile's limit: 5 MiB of video, and 1 MiB more for the rest of the form
        String video = sendChunked(
                form("i", "video_file", "big.mp4", bytes(TestVideos.randomBytes(5 * 1024 * 1024 + 1))), false);
        assertThat(video).startsWith("HTTP/1.1 413").contains("video_filesize_too_large");
        // a part that is none of Twelve Labs' fields is refused as soon as its headers are read
        String other =
                sendChunked(form("i", "attachment", "a.bin", bytes(TestVideos.randomBytes(7 * 1024 * 1024))), false);
        assertThat(other).startsWith("HTTP/1.1 400").contains("parameter_unknown");
        twelveLabs.verifyThat(0, postRequestedFor(urlEqualTo(TASKS)));
        assertNothingLeftBehind();
    }

    @Test
    void clientThatWaitsForContinueIsToldToSend() throws IOException {
        String taskId = acceptedUpstream();
        byte[] body = form("idx_continue", "video_file", "v.mp4", Files.readAllBytes(TestVideos.valid()));
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(headers("Content-Length: " + body.length + "\r\nExpect: 100-continue"));
            out.flush();
            assertThat(readUntil(socket.getInputStream(), "\r\n\r\n")).startsWith("HTTP/1.1 100 Continue");
            out.write(body);
            out.flush();
            assertThat(readUntil(socket.getInputStream(), "}"))
                    .startsWith("HTTP/1.1 200")
                    .contains(taskId);
        }
    }

    @Test
    void slowUploadOutlastingTheReadTimeoutGoesUpstreamOnce() throws Exception {
        // the test profile gives GET /tasks a 3 s read timeout; this upload streams for about 5 s
        String taskId = acceptedUpstream();
        byte[] body = form("idx_slow", "video_file", "v.mp4", Files.readAllBytes(TestVideos.valid()));
        double failedBefore = unreachableUploads();
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write(headers("Content-Length: " + body.length));
            int piece = body.length / 10 + 1;
            for (int at = 0; at < body.length; at += piece) {
                out.write(body, at, Math.min(piece, body.length - at));
                out.flush();
                Thread.sleep(500);
            }
            assertThat(readUntil(socket.getInputStream(), "}"))
                    .startsWith("HTTP/1.1 200")
                    .contains(taskId);
        }
        assertThat(onlyUpstreamRequest()).isNotNull();
        assertThat(unreachableUploads()).isEqualTo(failedBefore);
    }

    private static double unreachableUploads() {
        return io.reelhook.testing.Management.given()
                .get("/q/metrics")
                .asString()
                .lines()
                .filter(line -> line.startsWith("reelhook_upstream_requests_seconds_count{")
                        && line.contains("operation=\"create_task\"")
                        && line.contains("status=\"unreachable\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .sum();
    }

    @Test
    void brokenAndOutOfLimitVideosFailFastWithTwelveLabsCodes() {
        TestVideos.assumeAvailable();
        rejected(upload(TestVideos.randomBytes(100_000)), 400, "video_file_broken");
        rejected(upload(TestVideos.make(640, 360, 2)), 400, "video_duration_too_short");
        rejected(upload(TestVideos.make(320, 240, 5)), 400, "video_resolution_too_low");
        twelveLabs.verifyThat(0, postRequestedFor(urlEqualTo(TASKS)));
    }

    @Test
    void upstreamErrorsArePassedOnWithStatusAndCode() {
        for (int status : new int[] {400, 401}) {
            String code = status == 400 ? "index_not_exist" : "api_key_invalid";
            twelveLabs.register(post(urlEqualTo(TASKS))
                    .willReturn(aResponse()
                            .withStatus(status)
                            .withHeader("Content-Type", "application/json")
                            .withBody("{\"code\":\"" + code + "\",\"message\":\"from upstream\"}")));
            failed(upload(TestVideos.valid()), status, code).body("message", equalTo("from upstream"));
        }
    }

    @Test
    void persistentServerErrorsAndLongRateLimitsAreReturnedAfterBoundedRetries() {
        twelveLabs.register(post(urlEqualTo(TASKS))
                .willReturn(
                        aResponse().withStatus(500).withBody("{\"code\":\"internal_error\",\"message\":\"boom\"}")));
        failed(upload(TestVideos.valid()), 500, "internal_error");
        twelveLabs.verifyThat(4, postRequestedFor(urlEqualTo(TASKS)));

        twelveLabs.resetRequests();
        twelveLabs.register(post(urlEqualTo(TASKS))
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Retry-After", "120")
                        .withBody("{\"code\":\"too_many_requests\",\"message\":\"slow down\"}")));
        failed(upload(TestVideos.valid()), 429, "too_many_requests").header("Retry-After", "120");
        // a wait longer than twelvelabs.max-retry-after is the client's to make, not ours
        twelveLabs.verifyThat(1, postRequestedFor(urlEqualTo(TASKS)));
    }

    @Test
    void unreachableUpstreamIs502() {
        twelveLabs.register(post(urlEqualTo(TASKS)).willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
        // each reset comes after the whole body: every retry first asks whether Twelve Labs made the task anyway
        twelveLabs.register(WireMock.get(WireMock.urlPathEqualTo(TASKS)).willReturn(okJson("{\"data\":[]}")));
        failed(upload(TestVideos.valid()), 502, "upstream_unavailable");
        twelveLabs.verifyThat(4, postRequestedFor(urlEqualTo(TASKS)));
    }

    @Test
    void transientFailuresAreRetriedAndTheWholeFileIsResent() throws Exception {
        String taskId = "task_" + UUID.randomUUID();
        String scenario = "flaky-" + taskId;
        twelveLabs.register(post(urlEqualTo(TASKS))
                .inScenario(scenario)
                .whenScenarioStateIs("Started")
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("second"));
        twelveLabs.register(post(urlEqualTo(TASKS))
                .inScenario(scenario)
                .whenScenarioStateIs("second")
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Retry-After", "1")
                        .withBody("{\"code\":\"too_many_requests\",\"message\":\"wait\"}"))
                .willSetStateTo("third"));
        twelveLabs.register(post(urlEqualTo(TASKS))
                .inScenario(scenario)
                .whenScenarioStateIs("third")
                .willReturn(okJson("{\"_id\":\"" + taskId + "\",\"video_id\":null}")));
        Path video = TestVideos.valid();

        upload(video)
                .post(TASKS)
                .then()
                .statusCode(200)
                .body("_id", equalTo(taskId))
                .body("video_id", nullValue());

        List<LoggedRequest> attempts = twelveLabs.find(postRequestedFor(urlEqualTo(TASKS)));
        assertThat(attempts).hasSize(3);
        String expected = sha256(Files.readAllBytes(video));
        assertThat(attempts)
                .allSatisfy(a ->
                        assertThat(sha256(parts(a).get("video_file").body())).isEqualTo(expected));
        assertThat(eventRows.countOfTask(taskId)).isEqualTo(1);
    }

    @Test
    void unknownTaskIs404() {
        Api.given()
                .get(TASKS + "/task_does_not_exist")
                .then()
                .statusCode(404)
                .body("code", equalTo("resource_not_exist"));
    }

    private static final String BOUNDARY = "test-boundary-3f9a";

    /** A form as a client sends it: index_id, then one file part. */
    private static byte[] form(String indexId, String fileField, String filename, byte[] file) {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        body.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"index_id\"\r\n\r\n" + indexId
                        + "\r\n--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + fileField
                        + "\"; filename=\""
                        + filename + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(file);
        body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }

    private static byte[] headers(String more) {
        return ("POST /v1.3/tasks HTTP/1.1\r\nHost: localhost\r\nx-api-key: " + Api.KEY + "\r\n"
                        + "Content-Type: multipart/form-data; boundary=" + BOUNDARY + "\r\n" + more + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Sends {@code body} without Content-Length, in 64 KiB chunks; unless {@code finish}, the last chunk never
     * comes, as from a client still sending when it is cut off. Returns the answer up to its JSON body's end.
     */
    private static String sendChunked(byte[] body, boolean finish) throws IOException {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(headers("Transfer-Encoding: chunked"));
            for (int at = 0; at < body.length; at += 65536) {
                int n = Math.min(65536, body.length - at);
                out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.write(body, at, n);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            if (finish) {
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
            return readUntil(socket.getInputStream(), "}");
        }
    }

    private static String readUntil(InputStream in, String end) throws IOException {
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

    private String acceptedUpstream() {
        String taskId = "task_" + UUID.randomUUID();
        twelveLabs.register(post(urlEqualTo(TASKS))
                .withHeader("x-api-key", WireMock.equalTo("test-upstream-key"))
                .willReturn(okJson("{\"_id\":\"" + taskId + "\",\"video_id\":\"vid_" + taskId + "\"}")));
        return taskId;
    }

    private io.restassured.specification.RequestSpecification upload(Path video) {
        return Api.given()
                .multiPart("index_id", "idx_1")
                .multiPart("video_file", "v.mp4", bytes(video), "application/octet-stream");
    }

    /** Refused before Twelve Labs was asked: nothing stored, nothing spooled, nothing sent upstream. */
    private ValidatableResponse rejected(
            io.restassured.specification.RequestSpecification request, int status, String code) {
        int sentBefore = twelveLabs.find(postRequestedFor(urlEqualTo(TASKS))).size();
        ValidatableResponse checked = failed(request, status, code);
        assertThat(twelveLabs.find(postRequestedFor(urlEqualTo(TASKS)))).hasSize(sentBefore);
        return checked;
    }

    /** Failed, possibly after Twelve Labs was asked: nothing stored, nothing spooled. Counts before it posts. */
    private ValidatableResponse failed(
            io.restassured.specification.RequestSpecification request, int status, String code) {
        long tasksBefore = countTasks();
        ValidatableResponse checked =
                request.post(TASKS).then().statusCode(status).body("code", equalTo(code));
        assertThat(countTasks()).isEqualTo(tasksBefore);
        assertNothingLeftBehind();
        return checked;
    }

    private static Map<String, Multipart.Part> parts(LoggedRequest request) {
        return Multipart.parse(request.getHeader("Content-Type"), request.getBody());
    }

    private LoggedRequest onlyUpstreamRequest() {
        List<LoggedRequest> requests = twelveLabs.find(postRequestedFor(urlEqualTo(TASKS)));
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

    private void assertNothingLeftBehind() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            if (Files.isDirectory(uploads)) {
                try (Stream<Path> files = Files.list(uploads)) {
                    assertThat(files.toList()).isEmpty();
                }
            }
        });
    }

    long countTasks() {
        return taskRows.count();
    }

    private static byte[] bytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
