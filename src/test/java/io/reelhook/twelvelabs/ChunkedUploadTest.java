package io.reelhook.twelvelabs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.testing.TwelveLabsResource;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/** Reelhook's side of Twelve Labs' multipart upload, against WireMock (the JSON calls) and a storage stand-in. */
@QuarkusTest
class ChunkedUploadTest {

    private static final String SESSIONS = "/v1.3/assets/multipart-uploads";
    private static final int CHUNK = 300_000;

    @Inject
    ChunkedUpload engine;

    @Inject
    MeterRegistry registry;

    @Inject
    ObjectMapper json;

    @Inject
    MultipartConfig config;

    @ConfigProperty(name = TwelveLabsResource.PORT)
    int wiremockPort;

    WireMock twelveLabs;
    StorageStandIn storage;
    String uploadId;

    @BeforeEach
    void start() throws IOException {
        twelveLabs = new WireMock("localhost", wiremockPort);
        twelveLabs.resetRequests();
        twelveLabs.removeMappings();
        storage = new StorageStandIn();
        uploadId = "up_" + UUID.randomUUID();
    }

    @AfterEach
    void stop() {
        storage.close();
    }

    @Test
    void aFileArrivingInSixChunksIsUploadedInParallelWithRetriesAndRenewals() throws Exception {
        byte[] file = bytes(5 * CHUNK + 123_457);
        stubSession(6, List.of(url(1, "i"), url(2, "i")));
        storage.gateFirstPut();
        storage.answer(2, 500);
        storage.answer(5, 403);
        double sent = count("reelhook.multipart.chunks.sent");
        double retried = count("reelhook.multipart.chunks.retried");
        double renewed = count("reelhook.multipart.urls.renewed");
        GrowingSource source = new GrowingSource(file);

        CompletableFuture<UploadedAsset> upload = uploadAsync(source, "big clip.mp4", file.length);
        for (long arrived = 0; arrived < file.length; arrived += 64 * 1024) {
            source.grow(arrived);
            Thread.sleep(1);
        }
        source.grow(file.length);
        UploadedAsset asset = upload.get(60, TimeUnit.SECONDS);

        assertThat(asset.assetId()).isEqualTo("asset_" + uploadId);
        assertThat(asset.uploadId()).isEqualTo(uploadId);
        LoggedRequest create = only(postRequestedFor(urlEqualTo(SESSIONS)));
        assertThat(create.getHeader("x-api-key")).isEqualTo("test-upstream-key");
        JsonNode created = json.readTree(create.getBodyAsString());
        assertThat(created.path("filename").asText()).isEqualTo("big clip.mp4");
        assertThat(created.path("type").asText()).isEqualTo("video");
        assertThat(created.path("total_size").asLong()).isEqualTo(file.length);

        // every chunk arrived whole, exactly once accepted, with the session's upload headers
        Map<Integer, String> expected = new HashMap<>();
        for (int i = 1; i <= 6; i++) {
            expected.put(i, sha256(file, (i - 1) * CHUNK, Math.min(CHUNK, file.length - (i - 1) * CHUNK)));
        }
        assertThat(storage.hashes()).isEqualTo(expected);
        assertThat(storage.puts()).hasSize(8).allSatisfy(put -> {
            assertThat(put.header()).isEqualTo("h1");
            assertThat(put.contentType()).isEqualTo("application/octet-stream");
        });
        assertThat(storage.puts().stream().filter(p -> p.status() == 200))
                .extracting(StorageStandIn.Put::length)
                .containsExactlyInAnyOrder(
                        (long) CHUNK, (long) CHUNK, (long) CHUNK, (long) CHUNK, (long) CHUNK, 123_457L);
        assertThat(storage.maxConcurrent()).isGreaterThan(1);
        // chunks are streamed in pieces, never read into a buffer of the chunk's size; a retry reads its chunk again
        assertThat(source.largestRead())
                .isPositive()
                .isLessThanOrEqualTo(UpstreamSender.CHUNK)
                .isLessThan(CHUNK);
        assertThat(source.readers()).isEqualTo(8);

        // the 500 was sent again to the same URL; the 403 got a fresh one
        assertThat(storage.puts(2)).extracting(StorageStandIn.Put::status).containsExactly(500, 200);
        assertThat(storage.puts(5)).extracting(StorageStandIn.Put::status).containsExactly(403, 200);
        assertThat(storage.puts(5).get(1).sig())
                .isNotEqualTo(storage.puts(5).get(0).sig());
        // the initial URLs covered chunks 1 and 2: one renewal for the rest, one for the refused URL
        assertThat(storage.renewals())
                .containsExactly(new StorageStandIn.Renewal(3, 4), new StorageStandIn.Renewal(5, 2));
        assertThat(twelveLabs.find(postRequestedFor(urlEqualTo(SESSIONS + "/" + uploadId + "/presigned-urls"))))
                .hasSize(2);

        // reports in batches of reelhook.multipart.report-batch, each chunk once, with its ETag
        List<LoggedRequest> reports = twelveLabs.find(postRequestedFor(urlEqualTo(SESSIONS + "/" + uploadId)));
        assertThat(config.reportBatch()).isEqualTo(2);
        assertThat(reports).hasSize(3);
        Map<Integer, String> proofs = new HashMap<>();
        for (LoggedRequest report : reports) {
            JsonNode chunks = json.readTree(report.getBodyAsString()).path("completed_chunks");
            assertThat(chunks.size()).isEqualTo(2);
            for (JsonNode chunk : chunks) {
                int index = chunk.path("chunk_index").asInt();
                assertThat(proofs.put(index, chunk.path("proof").asText())).isNull();
                assertThat(chunk.path("proof_type").asText()).isEqualTo("etag");
                assertThat(chunk.path("chunk_size").asLong()).isEqualTo(index == 6 ? 123_457 : CHUNK);
            }
        }
        Map<Integer, String> etags = new HashMap<>();
        storage.etags().forEach((index, etag) -> etags.put(index, etag.replace("\"", "")));
        assertThat(proofs).isEqualTo(etags).hasSize(6);
        assertThat(twelveLabs.find(getRequestedFor(urlPathEqualTo(SESSIONS + "/" + uploadId))))
                .hasSize(1);

        assertThat(count("reelhook.multipart.chunks.sent") - sent).isEqualTo(6);
        assertThat(count("reelhook.multipart.chunks.retried") - retried).isEqualTo(2);
        assertThat(count("reelhook.multipart.urls.renewed") - renewed).isEqualTo(6);
    }

    @Test
    void aUrlExpiringWithinTheMarginIsRenewedBeforeItIsUsed() throws Exception {
        byte[] file = bytes(2 * CHUNK + 10);
        String past = Instant.now().minus(1, ChronoUnit.MINUTES).toString();
        String soon = Instant.now().plus(config.urlMargin()).minusSeconds(30).toString();
        stubSession(
                3,
                List.of(
                        url(1, "i"),
                        Map.of("chunk_index", 2, "url", storage.url(2, "stale"), "expires_at", past),
                        Map.of("chunk_index", 3, "url", storage.url(3, "soon"), "expires_at", soon)));

        engine.upload(ChunkSource.of(write(file)), "clip.mp4", file.length);

        assertThat(storage.puts()).extracting(StorageStandIn.Put::sig).doesNotContain("stale", "soon");
        assertThat(storage.puts(2)).hasSize(1);
        assertThat(storage.renewals()).extracting(StorageStandIn.Renewal::start).contains(2);
        assertThat(storage.hashes()).containsEntry(2, sha256(file, CHUNK, CHUNK));
    }

    @Test
    void aSourceFailingMidwayAbortsAndNothingIsSentAfterIt() throws Exception {
        byte[] file = bytes(5 * CHUNK + 7);
        stubSession(6, List.of(url(1, "i"), url(2, "i"), url(3, "i"), url(4, "i")));
        storage.hold(4);
        GrowingSource source = new GrowingSource(file);
        source.grow(4L * CHUNK + CHUNK / 2);

        CompletableFuture<UploadedAsset> upload = uploadAsync(source, "clip.mp4", file.length);
        // two of chunks 1 to 3 reported (a batch), the third accepted and waiting for the next batch, 4 in flight
        await().atMost(Duration.ofSeconds(30))
                .until(() -> storage.holding(4)
                        && storage.hashes().keySet().containsAll(List.of(1, 2, 3))
                        && reports().size() == 1);
        IOException cutOff = new IOException("the client went away");
        source.fail(cutOff);

        // chunk 4's PUT is still held by the storage: the upload returns without waiting for its answer
        Throwable failed = catchThrowable(() -> upload.get(30, TimeUnit.SECONDS));
        assertThat(failed).isInstanceOf(ExecutionException.class).hasCauseReference(cutOff);
        storage.release(4);

        await().during(Duration.ofMillis(500))
                .atMost(Duration.ofSeconds(5))
                .until(() -> reports().size() == 1);
        assertThat(reportedIndexes(reports())).hasSize(2).isSubsetOf(1, 2, 3);
        assertThat(storage.puts()).extracting(StorageStandIn.Put::chunk).doesNotContain(5, 6);
        assertThat(storage.puts(4)).hasSize(1);
        assertThat(twelveLabs.find(getRequestedFor(urlPathEqualTo(SESSIONS + "/" + uploadId))))
                .isEmpty();
    }

    private List<LoggedRequest> reports() {
        return twelveLabs.find(postRequestedFor(urlEqualTo(SESSIONS + "/" + uploadId)));
    }

    @Test
    void aChunkWhoseConnectionBreaksIsSentAgain() throws Exception {
        byte[] file = bytes(CHUNK + 1);
        stubSession(2, List.of(url(1, "i"), url(2, "i")));
        storage.answer(1, -1);

        engine.upload(ChunkSource.of(write(file)), "clip.mp4", file.length);

        assertThat(storage.puts(1)).extracting(StorageStandIn.Put::status).containsExactly(-1, 200);
        assertThat(storage.hashes()).containsEntry(1, sha256(file, 0, CHUNK));
        assertThat(reportedIndexes(reports())).containsExactlyInAnyOrder(1, 2);
    }

    @Test
    void aChunkTheStorageKeepsFailingFailsTheUploadAfterTheConfiguredAttempts() throws Exception {
        byte[] file = bytes(CHUNK + 1);
        stubSession(2, List.of(url(1, "i"), url(2, "i")));
        storage.answer(2, 500, 500, 500, 500, 500, 500, 500);

        Throwable failed = catchThrowable(() -> engine.upload(ChunkSource.of(write(file)), "clip.mp4", file.length));

        assertThat(failed).isInstanceOf(UpstreamException.Transient.class).hasMessageContaining("attempt 5 of 5");
        assertThat(((UpstreamException) failed).status()).isEqualTo(500);
        assertThat(storage.puts(2)).hasSize(config.chunkAttempts());
        assertThat(twelveLabs.find(getRequestedFor(urlPathEqualTo(SESSIONS + "/" + uploadId))))
                .isEmpty();
    }

    @Test
    void aSessionThatDoesNotCompleteFailsTheUpload() throws Exception {
        byte[] file = bytes(CHUNK + 1);
        stubSession(2, List.of(url(1, "i"), url(2, "i")));
        twelveLabs.register(get(urlPathEqualTo(SESSIONS + "/" + uploadId))
                .willReturn(okJson("{\"upload_id\":\"" + uploadId + "\",\"status\":\"failed\",\"chunks_failed\":1}")));

        Throwable failed = catchThrowable(() -> engine.upload(ChunkSource.of(write(file)), "clip.mp4", file.length));

        assertThat(failed).isInstanceOf(UpstreamException.class).hasMessageContaining("is failed");
        assertThat(((UpstreamException) failed).status()).isEqualTo(502);
        assertThat(storage.hashes()).containsOnlyKeys(1, 2);
        assertThat(reportedIndexes(reports())).containsExactlyInAnyOrder(1, 2);
        assertThat(twelveLabs.find(getRequestedFor(urlPathEqualTo(SESSIONS + "/" + uploadId))))
                .hasSize(1);
    }

    @Test
    void aChunkTwelveLabsListsAsFailedIsSentAndReportedAgain() throws Exception {
        byte[] file = bytes(2 * CHUNK + 5);
        stubSession(3, List.of(url(1, "i"), url(2, "i"), url(3, "i")));
        twelveLabs.register(get(urlPathEqualTo(SESSIONS + "/" + uploadId))
                .inScenario(uploadId)
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"status\":\"active\",\"chunks_failed\":1,\"uploaded_chunks\":["
                        + "{\"index\":1,\"status\":\"completed\"},"
                        + "{\"index\":2,\"status\":\"failed\",\"error\":\"checksum mismatch\"},"
                        + "{\"index\":3,\"status\":\"completed\"}]}"))
                .willSetStateTo("repaired"));
        twelveLabs.register(get(urlPathEqualTo(SESSIONS + "/" + uploadId))
                .inScenario(uploadId)
                .whenScenarioStateIs("repaired")
                .willReturn(okJson("{\"status\":\"completed\",\"chunks_completed\":3}")));

        UploadedAsset asset = engine.upload(ChunkSource.of(write(file)), "clip.mp4", file.length);

        assertThat(asset.uploadId()).isEqualTo(uploadId);
        assertThat(storage.puts(2)).hasSize(2).allSatisfy(put -> {
            assertThat(put.status()).isEqualTo(200);
            assertThat(put.sha256()).isEqualTo(sha256(file, CHUNK, CHUNK));
        });
        assertThat(storage.puts(2).get(1).sig())
                .isNotEqualTo(storage.puts(2).get(0).sig());
        assertThat(storage.puts(1)).hasSize(1);
        assertThat(storage.puts(3)).hasSize(1);
        assertThat(reportedIndexes(reports())).containsExactlyInAnyOrder(1, 2, 3, 2);
        assertThat(twelveLabs.find(getRequestedFor(urlPathEqualTo(SESSIONS + "/" + uploadId))))
                .hasSize(2);
    }

    @Test
    void aRefusedSessionSurfacesTwelveLabsCodeAndSendsNothing() throws Exception {
        twelveLabs.register(post(urlEqualTo(SESSIONS))
                .willReturn(aResponse()
                        .withStatus(400)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"code\":\"parameter_invalid\",\"message\":\"total_size is too large.\"}")));
        byte[] file = bytes(1000);

        Throwable failed = catchThrowable(() -> engine.upload(ChunkSource.of(write(file)), "clip.mp4", file.length));

        assertThat(failed).isExactlyInstanceOf(UpstreamException.class);
        UpstreamException refused = (UpstreamException) failed;
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.code()).isEqualTo("parameter_invalid");
        assertThat(refused.getMessage()).isEqualTo("total_size is too large.");
        assertThat(twelveLabs.find(postRequestedFor(urlEqualTo(SESSIONS)))).hasSize(1);
        assertThat(twelveLabs.find(anyRequestedFor(urlPathMatching(SESSIONS + "/.*"))))
                .isEmpty();
        assertThat(storage.puts()).isEmpty();
    }

    @Test
    void aThrottledSessionIsRetriedAndSurfacesTwelveLabsCodeAndRetryAfter() throws Exception {
        twelveLabs.register(post(urlEqualTo(SESSIONS))
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Content-Type", "application/json")
                        .withHeader("Retry-After", "1")
                        .withBody("{\"code\":\"too_many_requests\",\"message\":\"Slow down.\"}")));
        byte[] file = bytes(1000);

        Throwable failed = catchThrowable(() -> engine.upload(ChunkSource.of(write(file)), "clip.mp4", file.length));

        assertThat(failed).isInstanceOf(UpstreamException.class);
        UpstreamException throttled = (UpstreamException) failed;
        assertThat(throttled.status()).isEqualTo(429);
        assertThat(throttled.code()).isEqualTo("too_many_requests");
        assertThat(throttled.retryAfterHeader()).contains("1");
        assertThat(twelveLabs.find(postRequestedFor(urlEqualTo(SESSIONS)))).hasSize(4);
        assertThat(storage.puts()).isEmpty();
    }

    private void stubSession(int totalChunks, List<Map<String, Object>> urls) throws IOException {
        Map<String, Object> session = Map.of(
                "upload_id", uploadId,
                "asset_id", "asset_" + uploadId,
                "upload_urls", urls,
                "upload_headers", Map.of("x-upload-test", "h1"),
                "chunk_size", CHUNK,
                "total_chunks", totalChunks,
                "expires_at", Instant.now().plus(24, ChronoUnit.HOURS).toString());
        twelveLabs.register(post(urlEqualTo(SESSIONS))
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody(json.writeValueAsString(session))));
        twelveLabs.register(post(urlEqualTo(SESSIONS + "/" + uploadId))
                .willReturn(okJson("{\"asset_id\":\"asset_" + uploadId + "\",\"processed_chunks\":2}")));
        twelveLabs.register(post(urlEqualTo(SESSIONS + "/" + uploadId + "/presigned-urls"))
                .willReturn(aResponse().proxiedFrom(storage.base())));
        twelveLabs.register(get(urlPathEqualTo(SESSIONS + "/" + uploadId))
                .willReturn(okJson("{\"upload_id\":\"" + uploadId + "\",\"status\":\"completed\",\"chunks_completed\":"
                        + totalChunks + "}")));
    }

    private Map<String, Object> url(int chunk, String sig) {
        return Map.of(
                "chunk_index",
                chunk,
                "url",
                storage.url(chunk, sig),
                "expires_at",
                Instant.now().plus(1, ChronoUnit.HOURS).toString());
    }

    private CompletableFuture<UploadedAsset> uploadAsync(ChunkSource source, String filename, long size) {
        CompletableFuture<UploadedAsset> result = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            try {
                result.complete(engine.upload(source, filename, size));
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        caller.setDaemon(true);
        caller.start();
        return result;
    }

    private List<Integer> reportedIndexes(List<LoggedRequest> reports) throws IOException {
        List<Integer> indexes = new ArrayList<>();
        for (LoggedRequest report : reports) {
            for (JsonNode chunk : json.readTree(report.getBodyAsString()).path("completed_chunks")) {
                indexes.add(chunk.path("chunk_index").asInt());
            }
        }
        return indexes;
    }

    private LoggedRequest only(com.github.tomakehurst.wiremock.matching.RequestPatternBuilder pattern) {
        List<LoggedRequest> found = twelveLabs.find(pattern);
        assertThat(found).hasSize(1);
        return found.get(0);
    }

    private double count(String counter) {
        return registry.counter(counter).count();
    }

    private static byte[] bytes(int length) {
        byte[] bytes = new byte[length];
        new Random(length).nextBytes(bytes);
        return bytes;
    }

    private static java.nio.file.Path write(byte[] file) throws IOException {
        java.nio.file.Path path = java.nio.file.Files.createTempFile("chunked-upload-", ".bin");
        path.toFile().deleteOnExit();
        java.nio.file.Files.write(path, file);
        return path;
    }

    private static String sha256(byte[] file, int offset, int length) {
        MessageDigest digest = StorageStandIn.sha256();
        digest.update(file, offset, length);
        return HexFormat.of().formatHex(digest.digest());
    }
}
