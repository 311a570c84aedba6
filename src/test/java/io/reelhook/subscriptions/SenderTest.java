package io.reelhook.subscriptions;

import io.reelhook.subscriptions.Receiver.Answer;
import io.reelhook.subscriptions.Receiver.Endpoint;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The request itself, against local servers: where it connects, what it refuses, when it gives up. */
class SenderTest {

    private static final String HOST = "hooks.example.test";
    private static final byte[] BODY = "{\"event_id\":\"e\"}".getBytes(StandardCharsets.UTF_8);
    private static final List<String> SECRETS = List.of("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

    private static Vertx vertx;
    private static Receiver receiver;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        receiver = new Receiver();
    }

    @AfterAll
    static void stop() {
        receiver.close();
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void theRequestGoesToTheCheckedAddressAndNamesTheUrlsHost() throws Exception {
        Endpoint endpoint = receiver.endpoint();
        String url = endpoint.url.replace("127.0.0.1", HOST);

        Attempt attempt = send(sender(true, only(HOST, "127.0.0.1")), url);

        assertThat(attempt.statusCode()).isEqualTo(200);
        assertThat(endpoint.received).singleElement().satisfies(r -> {
            assertThat(r.header("host"))
                    .isEqualTo(HOST + ":" + url.split(":")[2].split("/")[0]);
            assertThat(r.header("webhook-id")).isEqualTo("e");
        });
    }

    @Test
    void aNameThatResolvesToAnInternalAddressAtDeliveryIsRefusedAndNothingIsSent() throws Exception {
        Endpoint endpoint = receiver.endpoint();

        Attempt attempt = send(sender(false, only(HOST, "127.0.0.1")), endpoint.url.replace("127.0.0.1", HOST));

        assertThat(attempt.statusCode()).isNull();
        assertThat(attempt.error()).startsWith("refused: ").contains("127.0.0.1");
        assertThat(endpoint.received).isEmpty();
    }

    @Test
    void oneInternalAddressAmongSeveralIsEnoughToRefuse() throws Exception {
        UrlGuard.Resolver both =
                host -> new InetAddress[] {InetAddress.getByName("8.8.8.8"), InetAddress.getByName("10.0.0.1")};

        Attempt attempt = send(sender(false, both), "https://" + HOST + "/hook");

        assertThat(attempt.error()).startsWith("refused: ").contains("10.0.0.1");
    }

    @Test
    void aHostThatDoesNotResolveIsAFailedAttempt() throws Exception {
        UrlGuard.Resolver none = host -> {
            throw new UnknownHostException(host);
        };

        Attempt attempt = send(sender(true, none), "http://" + HOST + "/hook");

        assertThat(attempt.statusCode()).isNull();
        assertThat(attempt.error()).isEqualTo("refused: the host does not resolve");
    }

    @Test
    void redirectsAreNotFollowed() throws Exception {
        Endpoint elsewhere = receiver.endpoint();
        Endpoint endpoint = receiver.endpoint();
        endpoint.answer = (n, body) -> new Answer(307, Map.of("Location", elsewhere.url));

        Attempt attempt = send(sender(true, UrlGuard.SYSTEM), endpoint.url);

        assertThat(attempt.statusCode()).isEqualTo(307);
        assertThat(attempt.error()).isEqualTo("HTTP 307");
        assertThat(elsewhere.received).isEmpty();
    }

    @Test
    void retryAfterIsReadFrom429() throws Exception {
        Endpoint endpoint = receiver.endpoint();
        endpoint.answer = (n, body) -> new Answer(429, Map.of("Retry-After", "7"));

        Attempt attempt = send(sender(true, UrlGuard.SYSTEM), endpoint.url);

        assertThat(attempt.error()).isEqualTo("HTTP 429");
        assertThat(attempt.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void anEndpointThatNeverAnswersIsGivenUpOnAtTheTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Attempt attempt = send(impatient(Duration.ofSeconds(1)), "http://127.0.0.1:" + silent.getLocalPort() + "/");

            assertThat(attempt.statusCode()).isNull();
            assertThat(attempt.error()).isEqualTo("no answer within 1s");
        }
    }

    @Test
    void anAnswerWhoseBodyNeverEndsCountsByItsStatusAndIsCutAtTheTimeout() throws Exception {
        AtomicBoolean cut = new AtomicBoolean();
        try (ServerSocket endless = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread server = new Thread(() -> {
                try (Socket s = endless.accept()) {
                    InputStream in = s.getInputStream();
                    in.read(new byte[8192]);
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    while (true) {
                        out.write("4\r\nmore\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        Thread.sleep(20);
                    }
                } catch (Exception e) {
                    cut.set(true);
                }
            });
            server.setDaemon(true);
            server.start();

            try (Sender sender = impatient(Duration.ofSeconds(5))) {
                Attempt attempt = sender.send("http://127.0.0.1:" + endless.getLocalPort() + "/", "e", BODY, SECRETS)
                        .get(30, TimeUnit.SECONDS);

                assertThat(attempt.statusCode()).isEqualTo(200);
                // by the sender itself, which is still open
                await().atMost(Duration.ofSeconds(30)).untilTrue(cut);
            }
        }
    }

    private static Sender sender(boolean allowPrivate, UrlGuard.Resolver resolver) {
        // generous: a cold JVM on a busy machine can take a second over its first request
        return new Sender(vertx, Duration.ofSeconds(10), allowPrivate, resolver);
    }

    private static Sender impatient(Duration timeout) {
        return new Sender(vertx, timeout, true, UrlGuard.SYSTEM);
    }

    private static Attempt send(Sender sender, String url) throws Exception {
        try (sender) {
            return sender.send(url, "e", BODY, SECRETS).get(30, TimeUnit.SECONDS);
        }
    }

    private static UrlGuard.Resolver only(String name, String address) {
        return host -> {
            if (!host.equals(name)) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[] {InetAddress.getByName(address)};
        };
    }
}
