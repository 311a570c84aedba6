package io.reelhook.simulator;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static io.reelhook.simulator.SimAssetTest.ASSETS;
import static io.reelhook.simulator.SimAssetTest.awaitAsset;
import static io.reelhook.simulator.SimulatorTest.api;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

/** The simulator's multipart uploads and presigned chunk URLs, driven as Twelve Labs' SDK drives them. */
@QuarkusTest
class SimMultipartTest {

    static final String UPLOADS = ASSETS + "/multipart-uploads";
    /** The test profile's chunk-size and initial-urls. */
    static final int CHUNK = 64 * 1024;

    static final int INITIAL = 2;

    @Inject
    SimUploads uploads;

    /** A file of {@code chunks} whole chunks and a remainder of 1000 bytes. */
    static byte[] file(int chunks) {
        byte[] bytes = new byte[chunks * CHUNK + 1000];
        new Random(chunks).nextBytes(bytes);
        return bytes;
    }

    static byte[] chunk(byte[] file, int index) {
        return Arrays.copyOfRange(file, (index - 1) * CHUNK, Math.min(file.length, index * CHUNK));
    }

    static String hex(String algorithm, byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
    }

    /** Creates a session for {@code size} bytes; {@code simulator} holds its simulator-only switches, or is empty. */
    static JsonPath create(long size, Map<String, Object> simulator) {
        Map<String, Object> body =
                new LinkedHashMap<>(Map.of("filename", "big.mp4", "type", "video", "total_size", size));
        if (!simulator.isEmpty()) {
            body.put("simulator", simulator);
        }
        return api().contentType("application/json")
                .body(body)
                .post(UPLOADS)
                .then()
                .statusCode(201)
                .extract()
                .jsonPath();
    }

    /** PUTs one chunk (no key: the URL is presigned) and returns its ETag. */
    static String put(String url, byte[] bytes) {
        return given().contentType("application/octet-stream")
                .body(bytes)
                .put(url)
                .then()
                .statusCode(200)
                .extract()
                .header("ETag");
    }

    static List<String> urls(String uploadId, int start, int count) {
        return api().contentType("application/json")
                .body(Map.of("start", start, "count", count))
                .post(UPLOADS + "/" + uploadId + "/presigned-urls")
                .then()
                .statusCode(200)
                .extract()
                .jsonPath()
                .getList("upload_urls.url", String.class);
    }

    static Map<String, Object> proof(int index, String etag, int size) {
        return Map.of("chunk_index", index, "proof", etag, "proof_type", "etag", "chunk_size", size);
    }

    static io.restassured.response.ValidatableResponse report(String uploadId, List<Map<String, Object>> chunks) {
        return api().contentType("application/json")
                .body(Map.of("completed_chunks", chunks))
                .post(UPLOADS + "/" + uploadId)
                .then();
    }

    @Test
    void wholeUploadCompletesItsAssetBecomesReadyAndTheChunksHashAsTheFile() throws Exception {
        byte[] file = file(4);
        JsonPath session = create(file.length, Map.of());
        String uploadId = session.getString("upload_id");
        String assetId = session.getString("asset_id");
        assertThat(session.getInt("chunk_size")).isEqualTo(CHUNK);
        assertThat(session.getInt("total_chunks")).isEqualTo(5);
        assertThat(session.getMap("upload_headers")).isEmpty();
        assertThat(Instant.parse(session.getString("expires_at")))
                .isAfter(Instant.now().plusSeconds(3600));
        assertThat(session.getList("upload_urls.chunk_index", Integer.class)).containsExactly(1, 2);
        List<String> urls = new ArrayList<>(session.getList("upload_urls.url", String.class));
        assertThat(urls.get(0))
                .startsWith("http://localhost:" + io.restassured.RestAssured.port + "/simulator/storage/" + uploadId
                        + "/1?expires=");
        assertThat(Instant.parse(session.getString("upload_urls[0].expires_at")))
                .isAfter(Instant.now());

        api().contentType("application/json")
                .body(Map.of("start", INITIAL + 1, "count", 50))
                .post(UPLOADS + "/" + uploadId + "/presigned-urls")
                .then()
                .statusCode(200)
                .body("upload_id", equalTo(uploadId))
                .body("start_index", equalTo(3))
                .body("count", equalTo(3))
                .body("upload_urls.chunk_index", equalTo(List.of(3, 4, 5)));
        urls.addAll(urls(uploadId, 3, 3));
        String listed = "data.find { it.upload_id == '" + uploadId + "' }.";
        api().queryParam("page_limit", 50)
                .get(UPLOADS)
                .then()
                .statusCode(200)
                .body("data.upload_id", hasItem(uploadId))
                .body(listed + "status", equalTo("active"))
                .body(listed + "total_size", equalTo(file.length))
                .body(listed + "chunk_size", equalTo(CHUNK))
                .body(listed + "total_chunks", equalTo(5))
                .body(listed + "created_at", org.hamcrest.Matchers.notNullValue())
                .body(listed + "expires_at", org.hamcrest.Matchers.notNullValue())
                .body("page_info.limit_per_page", equalTo(50));

        List<Map<String, Object>> proofs = new ArrayList<>();
        for (int index = 1; index <= 5; index++) {
            byte[] bytes = chunk(file, index);
            String etag = put(urls.get(index - 1), bytes);
            assertThat(etag).isEqualTo("\"" + hex("MD5", bytes) + "\"");
            proofs.add(proof(index, etag.replace("\"", ""), bytes.length));
        }
        api().get(UPLOADS + "/" + uploadId)
                .then()
                .body("status", equalTo("active"))
                .body("chunks_pending", equalTo(5))
                .body("chunks_completed", equalTo(0));

        report(uploadId, proofs.subList(0, 3))
                .statusCode(200)
                .body("asset_id", equalTo(assetId))
                .body("processed_chunks", equalTo(3))
                .body("duplicate_chunks", equalTo(0))
                .body("total_completed", equalTo(3))
                .body("$", not(hasKey("url")));
        api().get(ASSETS + "/" + assetId).then().body("status", equalTo("processing"));
        report(uploadId, proofs.subList(2, 5))
                .statusCode(200)
                .body("processed_chunks", equalTo(2))
                .body("duplicate_chunks", equalTo(1))
                .body("total_completed", equalTo(5))
                .body("url", containsString(assetId));

        JsonPath status = api().queryParam("page_limit", 2)
                .get(UPLOADS + "/" + uploadId)
                .then()
                .statusCode(200)
                .body("status", equalTo("completed"))
                .body("chunks_completed", equalTo(5))
                .body("chunks_failed", equalTo(0))
                .body("chunks_pending", equalTo(0))
                .body("total_size", equalTo(file.length))
                .body("uploaded_size", equalTo(file.length))
                .body("uploaded_chunks", hasSize(2))
                .body("uploaded_chunks[0].index", equalTo(1))
                .body("uploaded_chunks[0].status", equalTo("completed"))
                .body("page_info.total_results", equalTo(5))
                .extract()
                .jsonPath();
        for (int index = 1; index <= 5; index++) {
            assertThat(status.getString("simulator.sha256.'" + index + "'"))
                    .as("chunk %d", index)
                    .isEqualTo(hex("SHA-256", chunk(file, index)));
            assertThat(status.getInt("simulator.puts.'" + index + "'")).isEqualTo(1);
        }
        api().queryParam("page_limit", 50).get(UPLOADS).then().body("data.upload_id", not(hasItem(uploadId)));
        awaitAsset(assetId, "ready");
        api().get(ASSETS + "/" + assetId)
                .then()
                .body("method", equalTo("multipart"))
                .body("filename", equalTo("big.mp4"))
                .body("size", equalTo(file.length));
    }

    @Test
    void aProofOrSizeThatDoesNotMatchThePutIsRefusedAndTheOthersRecorded() throws Exception {
        byte[] file = file(1);
        JsonPath session = create(file.length, Map.of());
        String uploadId = session.getString("upload_id");
        String first = put(session.getString("upload_urls[0].url"), chunk(file, 1));
        String second = put(session.getString("upload_urls[1].url"), chunk(file, 2));

        report(uploadId, List.of(proof(1, "0".repeat(32), CHUNK), proof(2, second, 1000)))
                .statusCode(400)
                .body("code", equalTo("parameter_invalid"))
                .body("message", containsString("chunk 1"))
                .body("message", not(containsString("chunk 2")));
        report(uploadId, List.of(proof(1, first, CHUNK - 1)))
                .statusCode(400)
                .body("message", containsString("chunk_size"));
        api().get(UPLOADS + "/" + uploadId)
                .then()
                .body("status", equalTo("active"))
                .body("chunks_completed", equalTo(1))
                .body("chunks_failed", equalTo(1))
                .body("uploaded_chunks[0].status", equalTo("failed"))
                // the latest refusal of chunk 1 is why it failed
                .body("uploaded_chunks[0].error", containsString("chunk_size"))
                .body("uploaded_chunks[1].status", equalTo("completed"));
        report(uploadId, List.of(proof(1, first, CHUNK), proof(2, second, 1000)))
                .statusCode(200)
                .body("processed_chunks", equalTo(1))
                .body("duplicate_chunks", equalTo(1))
                .body("total_completed", equalTo(2));
    }

    @Test
    void aChunkNeverUploadedCannotBeReported() {
        JsonPath session = create(CHUNK, Map.of());
        report(session.getString("upload_id"), List.of(proof(1, "0".repeat(32), CHUNK)))
                .statusCode(400)
                .body("message", containsString("not been uploaded"));
        report(session.getString("upload_id"), List.of(proof(2, "0".repeat(32), CHUNK)))
                .statusCode(400)
                .body("message", containsString("chunk_index"));
    }

    @Test
    void anExpiredUrlIs403AndAFreshOneWorks() throws Exception {
        byte[] file = file(2);
        JsonPath session = create(file.length, Map.of("expired_urls", List.of(2)));
        String uploadId = session.getString("upload_id");
        assertThat(Instant.parse(session.getString("upload_urls[1].expires_at")))
                .isBefore(Instant.now());
        assertThat(Instant.parse(session.getString("upload_urls[0].expires_at")))
                .isAfter(Instant.now());
        given().body(chunk(file, 2))
                .put(session.getString("upload_urls[1].url"))
                .then()
                .statusCode(403)
                .body(containsString("<Code>AccessDenied</Code>"))
                .body(containsString("expired"));
        api().get(UPLOADS + "/" + uploadId).then().body("simulator.puts", not(hasKey("2")));
        String fresh = urls(uploadId, 2, 1).get(0);
        put(fresh, chunk(file, 2));
        api().get(UPLOADS + "/" + uploadId)
                .then()
                .body("simulator.puts.'2'", equalTo(1))
                .body("simulator.sha256.'2'", equalTo(hex("SHA-256", chunk(file, 2))));
    }

    @Test
    void aForgedUrlIs403AndNothingIsRecorded() {
        byte[] file = file(1);
        JsonPath session = create(file.length, Map.of());
        String uploadId = session.getString("upload_id");
        String url = session.getString("upload_urls[0].url");
        String signature = url.substring(url.indexOf("signature=") + "signature=".length());
        String flipped = (signature.charAt(0) == 'a' ? "b" : "a") + signature.substring(1);
        long expires = Long.parseLong(url.replaceAll(".*expires=(\\d+).*", "$1"));
        for (String forged : List.of(
                url.replace(signature, flipped),
                url.replace("expires=" + expires, "expires=" + (expires + 3600)),
                url.replace("/" + uploadId + "/1?", "/" + uploadId + "/2?"),
                url.substring(0, url.indexOf("&signature=")))) {
            given().body(chunk(file, 1))
                    .put(forged)
                    .then()
                    .statusCode(403)
                    .body(startsWith("<?xml"))
                    .body(containsString("<Error><Code>"));
        }
        api().get(UPLOADS + "/" + uploadId).then().body("simulator.puts", equalTo(Map.of()));
    }

    @Test
    void aFailingChunkPutIs500AndItsRetrySucceeds() throws Exception {
        byte[] file = file(1);
        JsonPath session = create(file.length, Map.of("fail_chunk_puts", List.of(1)));
        String uploadId = session.getString("upload_id");
        String url = session.getString("upload_urls[0].url");
        given().body(chunk(file, 1)).put(url).then().statusCode(500).body(containsString("<Code>InternalError</Code>"));
        api().get(UPLOADS + "/" + uploadId)
                .then()
                .body("simulator.puts.'1'", equalTo(1))
                .body("simulator.sha256", not(hasKey("1")))
                .body("uploaded_chunks[0].status", equalTo("failed"));
        String etag = put(url, chunk(file, 1));
        assertThat(etag).isEqualTo("\"" + hex("MD5", chunk(file, 1)) + "\"");
        api().get(UPLOADS + "/" + uploadId)
                .then()
                .body("simulator.puts.'1'", equalTo(2))
                .body("simulator.sha256.'1'", equalTo(hex("SHA-256", chunk(file, 1))))
                .body("uploaded_chunks[0].status", equalTo("pending"));
    }

    @Test
    void aChunkOfTheWrongSizeIs400AndNotRecorded() {
        byte[] file = file(1);
        JsonPath session = create(file.length, Map.of());
        String uploadId = session.getString("upload_id");
        given().body(new byte[CHUNK - 1])
                .put(session.getString("upload_urls[0].url"))
                .then()
                .statusCode(400);
        given().body(new byte[CHUNK])
                .put(session.getString("upload_urls[1].url"))
                .then()
                .statusCode(400)
                .body(containsString("1000"));
        api().get(UPLOADS + "/" + uploadId).then().body("simulator.sha256", equalTo(Map.of()));
    }

    @Test
    void sessionsAreCheckedAsTwelveLabsChecksThem() {
        int before = uploads.all().size();
        for (Map<String, ?> body : List.<Map<String, ?>>of(
                Map.of("type", "video", "total_size", 10),
                Map.<String, Object>of("filename", "a.mp4", "type", "video"),
                Map.of("filename", "a.mp4", "type", "pdf", "total_size", 10),
                Map.of("filename", "a.mp4", "type", "video", "total_size", 0),
                Map.of("filename", "a.mp4", "type", "video", "total_size", 11L << 30),
                Map.of(
                        "filename",
                        "a.mp4",
                        "type",
                        "video",
                        "total_size",
                        10,
                        "simulator",
                        Map.of("expired_urls", "2")))) {
            api().contentType("application/json")
                    .body(body)
                    .post(UPLOADS)
                    .then()
                    .statusCode(400)
                    .body("code", org.hamcrest.Matchers.startsWith("parameter_"));
        }
        given().contentType("application/json")
                .body(Map.of("filename", "a.mp4", "type", "video", "total_size", 10))
                .post(UPLOADS)
                .then()
                .statusCode(401);
        assertThat(uploads.all()).hasSize(before);
        String uploadId = create(10, Map.of()).getString("upload_id");
        api().contentType("application/json")
                .body(Map.of("start", 2, "count", 1))
                .post(UPLOADS + "/" + uploadId + "/presigned-urls")
                .then()
                .statusCode(400);
        api().contentType("application/json")
                .body(Map.of("start", 1, "count", 51))
                .post(UPLOADS + "/" + uploadId + "/presigned-urls")
                .then()
                .statusCode(400);
        api().get(UPLOADS + "/" + "0".repeat(24)).then().statusCode(404).body("code", equalTo("resource_not_exist"));
    }
}
