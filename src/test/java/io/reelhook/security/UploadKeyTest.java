package io.reelhook.security;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.testing.Api;
import io.reelhook.testing.TwelveLabsResource;
import io.restassured.RestAssured;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** An upload without a valid key is refused before its body is read: nothing spooled, nothing sent upstream. */
@QuarkusTest
class UploadKeyTest {

    private static final String BOUNDARY = "reelhookboundary";

    @ConfigProperty(name = TwelveLabsResource.PORT)
    int wiremockPort;

    @ConfigProperty(name = "quarkus.http.body.uploads-directory")
    Path uploads;

    /**
     * Half the body is sent and the rest withheld: the 401 can only come from a check that ran before the resource
     * read the body, and while the request is still open, no spool file exists and Twelve Labs saw nothing.
     */
    @Test
    void anUploadWithoutAKeyIsRefusedBeforeItsBodyIsRead() throws Exception {
        WireMock twelveLabs = new WireMock("localhost", wiremockPort);
        byte[] body = form();
        for (String target : List.of("/v1.3/tasks", "/v1.3;x/tasks", "//v1.3/tasks", "/v1.3/./tasks")) {
            for (Map<String, String> key : List.of(Map.<String, String>of(), Map.of("x-api-key", "wrong"))) {
                long spooledBefore = spooled();
                int sentBefore = twelveLabs.find(anyRequestedFor(anyUrl())).size();
                try (Socket socket = new Socket("localhost", RestAssured.port)) {
                    socket.setSoTimeout(10_000);
                    RawHttp.Answer answer = RawHttp.send(socket, "POST", target, headers(key), body, body.length / 2);
                    assertThat(answer.status()).as(target + " " + key).isEqualTo(401);
                    assertThat(answer.json().getString("code")).isEqualTo("api_key_invalid");
                    assertThat(spooled()).as(target).isEqualTo(spooledBefore);
                    assertThat(twelveLabs.find(anyRequestedFor(anyUrl())).size())
                            .as(target)
                            .isEqualTo(sentBefore);
                }
            }
        }
    }

    /** The control: with the key, the same half request is being read and spooled, and gets no answer yet. */
    @Test
    void theSameHalfUploadWithTheKeyIsReadAndWaitsForTheRest() throws Exception {
        byte[] body = form();
        long spooledBefore = spooled();
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(2_000);
            assertThatThrownBy(() -> RawHttp.send(
                            socket,
                            "POST",
                            "/v1.3/tasks",
                            headers(Map.of("x-api-key", Api.KEY)),
                            body,
                            body.length / 2))
                    .isInstanceOf(SocketTimeoutException.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> spooled() > spooledBefore);
        }
        // the client went away: the resource removes its spool
        await().atMost(Duration.ofSeconds(30)).until(() -> spooled() == spooledBefore);
    }

    private static Map<String, String> headers(Map<String, String> key) {
        Map<String, String> headers = new HashMap<>(key);
        headers.put("Content-Type", "multipart/form-data; boundary=" + BOUNDARY);
        return headers;
    }

    private long spooled() throws IOException {
        if (!Files.isDirectory(uploads)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(uploads)) {
            return files.count();
        }
    }

    private static byte[] form() {
        String head =
                "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"index_id\"\r\n\r\nidx\r\n--" + BOUNDARY
                        + "\r\nContent-Disposition: form-data; name=\"video_file\"; filename=\"a.mp4\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n";
        byte[] video = new byte[256 * 1024];
        new Random(13).nextBytes(video);
        byte[] start = head.getBytes(StandardCharsets.US_ASCII);
        byte[] end = ("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[start.length + video.length + end.length];
        System.arraycopy(start, 0, all, 0, start.length);
        System.arraycopy(video, 0, all, start.length, video.length);
        System.arraycopy(end, 0, all, start.length + video.length, end.length);
        return all;
    }
}
