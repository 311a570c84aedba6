package io.reelhook.resumable;

import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.assets.AssetsConfig;
import io.reelhook.testing.Api;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

import static io.reelhook.resumable.TusClientSupport.OCTETS;
import static io.reelhook.resumable.TusClientSupport.create;
import static io.reelhook.resumable.TusClientSupport.files;
import static io.reelhook.resumable.TusClientSupport.headOffset;
import static io.reelhook.resumable.TusClientSupport.patch;
import static io.reelhook.resumable.TusClientSupport.random;
import static io.reelhook.resumable.TusClientSupport.rows;
import static io.reelhook.resumable.TusClientSupport.spool;
import static io.reelhook.resumable.TusClientSupport.tus;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

/** The tus 1.0.0 protocol at {@code /uploads}, request by request, and every refusal storing nothing. */
@QuarkusTest
class TusProtocolTest {

    @Inject
    DataSource db;

    @Inject
    ResumableStore store;

    @Inject
    ResumableConfig config;

    @Inject
    AssetsConfig assets;

    private static String b64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha1(byte[] bytes) throws Exception {
        return "sha1 "
                + Base64.getEncoder()
                        .encodeToString(MessageDigest.getInstance("SHA-1").digest(bytes));
    }

    @Test
    void optionsTellsTheVersionExtensionsAndLimitsWithoutAKey() {
        RestAssured.given()
                .options("/uploads")
                .then()
                .statusCode(204)
                .header("Tus-Resumable", "1.0.0")
                .header("Tus-Version", "1.0.0")
                .header("Tus-Extension", "creation,creation-with-upload,termination,expiration,checksum")
                .header("Tus-Max-Size", Long.toString(assets.maxSize()))
                .header("Tus-Checksum-Algorithm", "sha1");
    }

    @Test
    void creationAnswersTheLocationOffsetAndExpiryAndStoresTheMetadata() {
        long before = rows(db, "true");
        String metadata = "filename " + b64("clip ü.mp4") + ",index_id " + b64("idx_1") + ",user_metadata "
                + b64("{\"team\":\"a\"}") + ",enable_video_stream " + b64("true") + ",filetype " + b64("video/mp4")
                + ",is_confidential";
        Response created = tus().header("Upload-Length", 1000)
                .header("Upload-Metadata", metadata)
                .post("/uploads");
        created.then()
                .statusCode(201)
                .header("Tus-Resumable", "1.0.0")
                .header("Upload-Offset", "0")
                .header("Location", org.hamcrest.Matchers.matchesPattern("/uploads/[0-9a-f]{32}"))
                .header(
                        "Upload-Expires",
                        org.hamcrest.Matchers.matchesPattern("\\w{3}, \\d{2} \\w{3} \\d{4} [0-9:]{8} GMT"));
        String id = created.header("Location").substring("/uploads/".length());
        assertThat(rows(db, "true")).isEqualTo(before + 1);
        assertThat(rows(
                        db,
                        "id = ? AND size = 1000 AND upload_offset = 0 AND status = 'receiving'"
                                + " AND filename = 'clip ü.mp4' AND index_id = 'idx_1' AND user_metadata->>'team' = 'a'"
                                + " AND enable_video_stream AND expires_at > now() + interval '23 hours'",
                        id))
                .isEqualTo(1);
        tus().head("/uploads/" + id)
                .then()
                .statusCode(200)
                .header("Upload-Offset", "0")
                .header("Upload-Length", "1000")
                .header("Upload-Metadata", metadata)
                .header("Cache-Control", "no-store")
                .header("Upload-Expires", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void refusedCreationsStoreAndSpoolNothing() throws Exception {
        long before = rows(db, "true");
        long spooled = files(config.directory());
        tus().post("/uploads").then().statusCode(400).body("code", equalTo("parameter_not_provided"));
        tus().header("Upload-Length", "-5").post("/uploads").then().statusCode(400);
        tus().header("Upload-Length", assets.maxSize() + 1)
                .post("/uploads")
                .then()
                .statusCode(413)
                .body("code", equalTo("asset_filesize_too_large"));
        for (String bad : new String[] {
            "user_metadata " + b64("[1]"),
            "user_metadata " + b64("{nope"),
            "enable_video_stream " + b64("yes"),
            "filename %%%",
            "filename " + b64("a") + ",filename " + b64("b"),
            "filename",
            "user_metadata " + b64("{\"a\":\"\\u0000\"}")
        }) {
            tus().header("Upload-Length", 10)
                    .header("Upload-Metadata", bad)
                    .post("/uploads")
                    .then()
                    .statusCode(400)
                    .body("code", equalTo("parameter_invalid"));
        }
        // the key comes first: nobody without one creates anything
        RestAssured.given()
                .header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", 10)
                .post("/uploads")
                .then()
                .statusCode(401)
                .body("code", equalTo("api_key_invalid"));
        assertThat(rows(db, "true")).isEqualTo(before);
        assertThat(files(config.directory())).isEqualTo(spooled);
    }

    @Test
    void withoutTusResumableARequestIsRefusedWith412AndTheVersion() throws Exception {
        long before = rows(db, "true");
        String id = create(10);
        for (String version : new String[] {null, "0.2.2"}) {
            var request = Api.given();
            if (version != null) {
                request.header("Tus-Resumable", version);
            }
            request.header("Upload-Length", 10)
                    .post("/uploads")
                    .then()
                    .statusCode(412)
                    .header("Tus-Version", "1.0.0")
                    .header("Tus-Resumable", "1.0.0")
                    .body("code", equalTo("tus_version_unsupported"));
            Api.given()
                    .contentType(OCTETS)
                    .header("Upload-Offset", 0)
                    .body(new byte[] {1, 2})
                    .patch("/uploads/" + id)
                    .then()
                    .statusCode(412);
        }
        assertThat(rows(db, "true")).isEqualTo(before + 1);
        assertThat(headOffset(id)).isZero();
        assertThat(Files.size(spool(store, id))).isZero();
    }

    @Test
    void creationWithUploadTakesTheBodyAsTheFirstPatch() throws Exception {
        byte[] body = random(5000, 3);
        Response created = tus().header("Upload-Length", 8000)
                .contentType(OCTETS)
                .header("Upload-Checksum", sha1(body))
                .body(body)
                .post("/uploads");
        created.then().statusCode(201).header("Upload-Offset", "5000");
        String id = created.header("Location").substring("/uploads/".length());
        assertThat(Files.readAllBytes(spool(store, id))).isEqualTo(body);
        assertThat(headOffset(id)).isEqualTo(5000);

        // a body that fails its checksum: refused, but the upload exists and says where it is
        Response refused = tus().header("Upload-Length", 8000)
                .contentType(OCTETS)
                .header("Upload-Checksum", sha1(random(5000, 34)))
                .body(body)
                .post("/uploads");
        refused.then().statusCode(460).header("Upload-Offset", "0").body("code", equalTo("checksum_mismatch"));
        String kept = refused.header("Location").substring("/uploads/".length());
        assertThat(headOffset(kept)).isZero();
        assertThat(Files.size(spool(store, kept))).isZero();
    }

    @Test
    void aPatchAtTheWrongOffsetIs409AndStoresNothing() throws Exception {
        String id = create(100);
        patch(id, 0, random(40, 4)).then().statusCode(204).header("Upload-Offset", "40");
        for (long wrong : new long[] {0, 39, 41, 100}) {
            patch(id, wrong, random(10, 5))
                    .then()
                    .statusCode(409)
                    .header("Upload-Offset", "40")
                    .body("code", equalTo("upload_offset_mismatch"));
        }
        assertThat(headOffset(id)).isEqualTo(40);
        assertThat(Files.size(spool(store, id))).isEqualTo(40);
    }

    @Test
    void aChecksumMismatchIs460AndAcknowledgesNothing() throws Exception {
        String id = create(100);
        byte[] first = random(30, 6);
        patch(id, 0, first).then().statusCode(204);
        byte[] second = random(50, 7);
        tus().contentType(OCTETS)
                .header("Upload-Offset", 30)
                .header("Upload-Checksum", sha1(random(50, 8)))
                .body(second)
                .patch("/uploads/" + id)
                .then()
                .statusCode(460)
                .body("code", equalTo("checksum_mismatch"));
        assertThat(headOffset(id)).isEqualTo(30);
        assertThat(Files.readAllBytes(spool(store, id))).isEqualTo(first);
        tus().contentType(OCTETS)
                .header("Upload-Offset", 30)
                .header("Upload-Checksum", "md5 " + Base64.getEncoder().encodeToString(new byte[16]))
                .body(second)
                .patch("/uploads/" + id)
                .then()
                .statusCode(400)
                .body("code", equalTo("checksum_algorithm_unsupported"));
        tus().contentType(OCTETS)
                .header("Upload-Offset", 30)
                .header("Upload-Checksum", sha1(second))
                .body(second)
                .patch("/uploads/" + id)
                .then()
                .statusCode(204)
                .header("Upload-Offset", "80");
        byte[] both = Arrays.copyOf(first, 80);
        System.arraycopy(second, 0, both, 30, 50);
        assertThat(Files.readAllBytes(spool(store, id))).isEqualTo(both);
    }

    @Test
    void aBodyPastUploadLengthIs413AndNothingOfItIsWritten() throws Exception {
        String id = create(100);
        byte[] first = random(60, 9);
        patch(id, 0, first).then().statusCode(204);
        // declared: refused before it is read
        patch(id, 60, random(41, 10)).then().statusCode(413).body("code", equalTo("upload_length_exceeded"));
        assertThat(headOffset(id)).isEqualTo(60);
        assertThat(Files.size(spool(store, id))).isEqualTo(60);
        // chunked, no Content-Length: cut off where it passes the length, and what came of it dropped
        HttpResponse<String> chunked = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/uploads/" + id))
                                .header("x-api-key", Api.KEY)
                                .header("Tus-Resumable", "1.0.0")
                                .header("Upload-Offset", "60")
                                .header("Content-Type", OCTETS)
                                .method(
                                        "PATCH",
                                        HttpRequest.BodyPublishers.ofInputStream(
                                                () -> new ByteArrayInputStream(random(300_000, 11))))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(chunked.body()).contains("upload_length_exceeded");
        assertThat(headOffset(id)).isEqualTo(60);
        assertThat(Files.readAllBytes(spool(store, id))).isEqualTo(first);
    }

    @Test
    void aPatchOfAnotherContentTypeIs415AndStoresNothing() throws Exception {
        String id = create(100);
        tus().contentType("application/octet-stream")
                .header("Upload-Offset", 0)
                .body(random(10, 12))
                .patch("/uploads/" + id)
                .then()
                .statusCode(415)
                .header("Tus-Resumable", "1.0.0")
                .body("code", equalTo("unsupported_media_type"));
        assertThat(headOffset(id)).isZero();
        assertThat(Files.size(spool(store, id))).isZero();
    }

    @Test
    void anUnknownUploadIs404() {
        String unknown = "0123456789abcdef0123456789abcdef";
        tus().head("/uploads/" + unknown).then().statusCode(404).header("Tus-Resumable", "1.0.0");
        patch(unknown, 0, new byte[] {1}).then().statusCode(404).body("code", equalTo("resource_not_exist"));
        tus().delete("/uploads/" + unknown).then().statusCode(404);
        Api.given().get("/api/v1/uploads/" + unknown).then().statusCode(404);
        assertThat(rows(db, "id = ?", unknown)).isZero();
    }

    @Test
    void aSecondPatchWhileOneIsWritingIsRefusedWith423() throws Exception {
        String id = create(60_000);
        Optional<ResumableStore.Lock> other = store.tryLock(id);
        assertThat(other).isPresent();
        try (ResumableStore.Lock held = other.get()) {
            patch(id, 0, random(10, 13)).then().statusCode(423).body("code", equalTo("upload_locked"));
            assertThat(headOffset(id)).isZero();
            assertThat(Files.size(spool(store, id))).isZero();
        }
        patch(id, 0, random(10, 13)).then().statusCode(204).header("Upload-Offset", "10");

        // two clients at once: the second is refused while the first is still sending, and the first's bytes stay
        byte[] body = random(50_000, 24);
        try (var first = TusClientSupport.partialPatch(id, 10, body, 20_000)) {
            org.awaitility.Awaitility.await().until(() -> store.locked(id));
            patch(id, 10, random(10, 25)).then().statusCode(423);
            first.getOutputStream().write(body, 20_000, 30_000);
            first.getOutputStream().flush();
            org.awaitility.Awaitility.await().until(() -> headOffset(id) == 50_010);
        }
        byte[] file = Files.readAllBytes(spool(store, id));
        assertThat(Arrays.copyOfRange(file, 10, 50_010)).isEqualTo(body);
    }

    @Test
    void terminationDeletesTheFileAndLaterRequestsGet410() throws Exception {
        String id = create(100);
        patch(id, 0, random(20, 14)).then().statusCode(204);
        Path file = spool(store, id);
        assertThat(file).exists();

        tus().delete("/uploads/" + id).then().statusCode(204).header("Tus-Resumable", "1.0.0");

        assertThat(file).doesNotExist();
        assertThat(TusClientSupport.status(db, id)).isEqualTo("terminated");
        tus().head("/uploads/" + id).then().statusCode(410);
        patch(id, 20, random(5, 15)).then().statusCode(410).body("code", equalTo("upload_terminated"));
        tus().delete("/uploads/" + id).then().statusCode(410);
        assertThat(file).doesNotExist();
        Api.given().get("/api/v1/uploads/" + id).then().statusCode(200).body("status", equalTo("terminated"));
    }

    @Test
    void aPatchStillWritingWhenTheUploadIsTerminatedDoesNotResurrectIt() throws Exception {
        String id = create(100_000);
        byte[] body = random(100_000, 16);
        try (var writing = TusClientSupport.partialPatch(id, 0, body, 30_000)) {
            org.awaitility.Awaitility.await().until(() -> store.locked(id));
            tus().delete("/uploads/" + id).then().statusCode(204);
        }
        org.awaitility.Awaitility.await().until(() -> !store.locked(id));
        assertThat(TusClientSupport.status(db, id)).isEqualTo("terminated");
        assertThat(rows(db, "id = ? AND upload_offset = 0", id)).isEqualTo(1);
        assertThat(spool(store, id)).doesNotExist();
    }

    @Test
    void anIdleUploadExpiresAtCleanupAndThenAnswers410() throws Exception {
        String id = create(100);
        patch(id, 0, random(10, 17)).then().statusCode(204);
        Path file = spool(store, id);
        io.reelhook.db.Jdbc.update(
                db, "UPDATE resumable_upload SET expires_at = now() - interval '1 minute' WHERE id = ?", id);
        long expiredBefore = rows(db, "status = 'expired'");
        assertThat(file).exists();

        // a PATCH in progress (its lock held) keeps the upload
        try (ResumableStore.Lock held = store.tryLock(id).orElseThrow()) {
            cleanup.expireDue();
            assertThat(TusClientSupport.status(db, id)).isEqualTo("receiving");
        }
        assertThat(cleanup.expireDue()).isGreaterThanOrEqualTo(1);

        assertThat(rows(db, "status = 'expired'")).isGreaterThanOrEqualTo(expiredBefore + 1);
        assertThat(TusClientSupport.status(db, id)).isEqualTo("expired");
        assertThat(file).doesNotExist();
        tus().head("/uploads/" + id).then().statusCode(410);
        patch(id, 10, random(5, 18)).then().statusCode(410).body("code", equalTo("upload_expired"));
    }

    @Inject
    ResumableCleanup cleanup;

    @Test
    void aCompleteUploadTakesNoMoreBytesAndIsNoLongerExpiring() throws Exception {
        String id = create(10);
        patch(id, 0, random(10, 19))
                .then()
                .statusCode(204)
                .header("Upload-Offset", "10")
                .header("Upload-Expires", nullValue());
        patch(id, 10, new byte[] {1}).then().statusCode(413);
        // a complete upload is the asset pipeline's: it cannot be terminated (until the pipeline refuses the ten
        // random bytes, after which it is gone: 410)
        tus().delete("/uploads/" + id)
                .then()
                .statusCode(anyOf(equalTo(409), equalTo(410)))
                .body("code", anyOf(equalTo("upload_complete"), startsWith("upload_")));
    }

    @Test
    void aPreflightFromAnAllowedOriginIsAnsweredAndAForeignOneRefused() {
        RestAssured.given()
                .header("Origin", "https://app.example")
                .header("Access-Control-Request-Method", "PATCH")
                .header("Access-Control-Request-Headers", "tus-resumable,upload-offset,content-type,x-api-key")
                .options("/uploads/0123456789abcdef0123456789abcdef")
                .then()
                .statusCode(204)
                .header("Access-Control-Allow-Origin", "https://app.example")
                .header("Access-Control-Allow-Methods", containsString("PATCH"))
                .header("Access-Control-Allow-Headers", containsString("Upload-Offset"))
                .header("Access-Control-Allow-Headers", containsString("x-api-key"))
                .header("Access-Control-Expose-Headers", containsString("Upload-Offset"))
                .header("Access-Control-Allow-Credentials", nullValue());
        RestAssured.given()
                .header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "PATCH")
                .options("/uploads/0123456789abcdef0123456789abcdef")
                .then()
                .statusCode(403)
                .header("Access-Control-Allow-Origin", nullValue())
                .body("code", equalTo("cross_origin_refused"));
    }

    @Test
    void anAllowedOriginCanReadTheAnswerAndAForeignOneCannot() {
        tus().header("Origin", "https://app.example")
                .header("Upload-Length", 10)
                .post("/uploads")
                .then()
                .statusCode(201)
                .header("Access-Control-Allow-Origin", "https://app.example")
                .header("Access-Control-Expose-Headers", containsString("Location"))
                .header("Access-Control-Expose-Headers", containsString("Upload-Expires"));
        // the key authorizes, not the origin: served, but its page cannot read the answer
        tus().header("Origin", "https://evil.example")
                .header("Upload-Length", 10)
                .post("/uploads")
                .then()
                .statusCode(201)
                .header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void withoutAKeyNothingIsReadOrWritten() throws Exception {
        String id = create(10);
        RestAssured.given().get("/api/v1/uploads/" + id).then().statusCode(401);
        RestAssured.given()
                .header("Tus-Resumable", "1.0.0")
                .head("/uploads/" + id)
                .then()
                .statusCode(401);
        for (String method : new String[] {"PATCH", "DELETE"}) {
            RestAssured.given()
                    .header("Tus-Resumable", "1.0.0")
                    .contentType(OCTETS)
                    .header("Upload-Offset", 0)
                    .body(random(10, 20))
                    .request(method, "/uploads/" + id)
                    .then()
                    .statusCode(401)
                    .body("code", equalTo("api_key_invalid"));
        }
        assertThat(TusClientSupport.status(db, id)).isEqualTo("receiving");
        assertThat(headOffset(id)).isZero();
        assertThat(Files.size(spool(store, id))).isZero();
        Api.given()
                .get("/api/v1/uploads/" + id)
                .then()
                .statusCode(200)
                .body("offset", equalTo(0))
                .body("size", equalTo(10))
                .body("status", equalTo("receiving"))
                .body("indexed_asset_id", nullValue());
    }
}
