package io.reelhook.testing;

import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** tus requests to Reelhook's {@code /uploads} (docs/resumable.md), for the tests of what becomes of an upload. */
public final class Tus {

    private Tus() {}

    /** Creates an upload of {@code length} bytes with {@code metadata} ({@code key base64,...}); returns its id. */
    public static String create(long length, String metadata) {
        String location = Api.given()
                .header("Tus-Resumable", "1.0.0")
                .header("Upload-Length", length)
                .header("Upload-Metadata", metadata)
                .post("/uploads")
                .then()
                .statusCode(201)
                .extract()
                .header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    public static Response patch(String id, long offset, byte[] body) {
        return Api.given()
                .header("Tus-Resumable", "1.0.0")
                .header("Upload-Offset", offset)
                .contentType("application/offset+octet-stream")
                .body(body)
                .patch("/uploads/" + id);
    }

    /** {@code GET /api/v1/uploads/{id}}. */
    public static JsonPath status(String id) {
        return Api.given()
                .get("/api/v1/uploads/" + id)
                .then()
                .statusCode(200)
                .extract()
                .jsonPath();
    }

    /** One {@code Upload-Metadata} pair. */
    public static String pair(String key, String value) {
        return key + " " + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
