package io.reelhook.assets;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.db.Jdbc;
import io.reelhook.testing.Api;
import io.reelhook.testing.TwelveLabsResource;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.util.List;
import java.util.UUID;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

/** The SDK's own multipart flow through Reelhook: the presigned URLs pass unchanged, the session is recorded. */
@QuarkusTest
class MultipartUploadResourceTest {

    @ConfigProperty(name = TwelveLabsResource.PORT)
    int wiremockPort;

    @Inject
    DataSource db;

    WireMock twelveLabs;

    @BeforeEach
    void resetUpstream() {
        twelveLabs = new WireMock("localhost", wiremockPort);
        twelveLabs.resetRequests();
        twelveLabs.removeMappings();
    }

    @Test
    void aSessionPassesThroughAndItsAssetIsPolledOnceEveryChunkIsReported() {
        String uploadId = "up_" + UUID.randomUUID();
        String assetId = "asset_" + UUID.randomUUID();
        String storage = "https://storage.example/" + uploadId + "/1?X-Amz-Signature=abc";
        twelveLabs.register(get("/v1.3/indexes/idx_mp").willReturn(okJson("{\"_id\":\"idx_mp\"}")));
        twelveLabs.register(post("/v1.3/assets/multipart-uploads")
                .withRequestBody(equalToJson("{\"filename\":\"big.mp4\",\"type\":\"video\",\"total_size\":12}"))
                .willReturn(aResponse()
                        .withStatus(201)
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"upload_id\":\"" + uploadId + "\",\"asset_id\":\"" + assetId
                                + "\",\"upload_urls\":[{\"chunk_index\":1,\"url\":\"" + storage
                                + "\",\"expires_at\":\"2026-12-02T12:00:00Z\"}],\"upload_headers\":{},"
                                + "\"chunk_size\":8,\"total_chunks\":2,\"expires_at\":\"2026-12-03T11:00:00Z\"}")));
        twelveLabs.register(post("/v1.3/assets/multipart-uploads/" + uploadId)
                .willReturn(okJson("{\"url\":\"\",\"processed_chunks\":1,\"duplicate_chunks_count\":0}")));
        twelveLabs.register(post("/v1.3/assets/multipart-uploads/" + uploadId + "/presigned-urls")
                .willReturn(okJson("{\"upload_urls\":[{\"chunk_index\":2,\"url\":\"https://storage.example/2\"}]}")));
        twelveLabs.register(get("/v1.3/assets/multipart-uploads/" + uploadId)
                .willReturn(okJson("{\"upload_id\":\"" + uploadId + "\",\"status\":\"active\"}")));

        Api.given()
                .contentType("application/json")
                .body("{\"filename\":\"big.mp4\",\"type\":\"video\",\"total_size\":12,\"index_id\":\"idx_mp\"}")
                .post("/v1.3/assets/multipart-uploads")
                .then()
                .statusCode(201)
                .body("upload_urls[0].url", equalTo(storage))
                .body("asset_id", equalTo(assetId));
        assertThat(Jdbc.strings(db, "SELECT method || ':' || index_id FROM asset WHERE id = ?", assetId))
                .containsExactly("multipart:idx_mp");
        assertThat(due(assetId)).isFalse();

        Api.given()
                .contentType("application/json")
                .body("{\"start\":2,\"count\":1}")
                .post("/v1.3/assets/multipart-uploads/" + uploadId + "/presigned-urls")
                .then()
                .statusCode(200)
                .body("upload_urls[0].chunk_index", equalTo(2));
        Api.given()
                .get("/v1.3/assets/multipart-uploads/" + uploadId)
                .then()
                .statusCode(200)
                .body("status", equalTo("active"));

        report(uploadId, 1);
        assertThat(due(assetId)).isFalse();
        report(uploadId, 1);
        report(uploadId, 2);
        assertThat(due(assetId)).isTrue();
        assertThat(twelveLabs.find(postRequestedFor(urlEqualTo("/v1.3/assets/multipart-uploads/" + uploadId))))
                .hasSize(3);
        assertThat(Jdbc.number(db, "SELECT count(*) FROM multipart_chunk WHERE upload_id = ?", List.of(uploadId)))
                .isEqualTo(2);
    }

    @Test
    void badSessionsAreRefusedBeforeTwelveLabsHearsOfThem() {
        long assets = Jdbc.number(db, "SELECT count(*) FROM asset", List.of());
        for (String body : List.of(
                "[]",
                "{\"type\":\"video\",\"total_size\":5}",
                "{\"filename\":\"a.mp4\",\"type\":\"video\",\"total_size\":0}",
                "{\"filename\":\"a.mp4\",\"type\":\"video\",\"total_size\":\"many\"}",
                "{\"filename\":7,\"type\":\"video\",\"total_size\":5}",
                "{\"filename\":\"a.mp4\",\"type\":\"video\",\"total_size\":5,\"enable_video_stream\":\"yes\"}")) {
            Api.given()
                    .contentType("application/json")
                    .body(body)
                    .post("/v1.3/assets/multipart-uploads")
                    .then()
                    .statusCode(400);
        }
        Api.given()
                .contentType("application/json")
                .body("{\"filename\":\"a.mp4\",\"type\":\"video\",\"total_size\":99999999999999}")
                .post("/v1.3/assets/multipart-uploads")
                .then()
                .statusCode(413)
                .body("code", equalTo("asset_filesize_too_large"));
        Api.given()
                .contentType("application/json")
                .body("{\"chunks\":[]}")
                .post("/v1.3/assets/multipart-uploads/up_x")
                .then()
                .statusCode(400);
        assertThat(twelveLabs.find(anyRequestedFor(anyUrl()))).isEmpty();
        assertThat(Jdbc.number(db, "SELECT count(*) FROM asset", List.of())).isEqualTo(assets);
    }

    @Test
    void twelveLabsRateLimitReachesTheClientWithItsRetryAfter() {
        twelveLabs.register(post("/v1.3/assets/multipart-uploads")
                .willReturn(aResponse()
                        .withStatus(429)
                        .withHeader("Retry-After", "120")
                        .withHeader("Content-Type", "application/json")
                        .withBody("{\"code\":\"too_many_requests\",\"message\":\"Slow down.\"}")));
        long assets = Jdbc.number(db, "SELECT count(*) FROM asset", List.of());

        Api.given()
                .contentType("application/json")
                .body("{\"filename\":\"a.mp4\",\"type\":\"video\",\"total_size\":5}")
                .post("/v1.3/assets/multipart-uploads")
                .then()
                .statusCode(429)
                .header("Retry-After", "120")
                .body("code", equalTo("too_many_requests"));
        assertThat(Jdbc.number(db, "SELECT count(*) FROM asset", List.of())).isEqualTo(assets);
    }

    private void report(String uploadId, int chunk) {
        Api.given()
                .contentType("application/json")
                .body("{\"completed_chunks\":[{\"chunk_index\":" + chunk + ",\"proof\":\"\\\"etag" + chunk
                        + "\\\"\",\"proof_type\":\"etag\",\"chunk_size\":8}]}")
                .post("/v1.3/assets/multipart-uploads/" + uploadId)
                .then()
                .statusCode(200);
    }

    private boolean due(String assetId) {
        return Jdbc.number(db, "SELECT count(*) FROM asset WHERE id = ? AND next_poll_at IS NOT NULL", List.of(assetId))
                == 1;
    }
}
