package io.reelhook.resumable;

import io.reelhook.db.Jdbc;
import io.reelhook.testing.Api;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

/** What the tus tests share: requests with the client key and Tus-Resumable, and looks at the rows and files. */
final class TusClientSupport {

    static final String OCTETS = "application/offset+octet-stream";

    private TusClientSupport() {}

    static RequestSpecification tus() {
        return Api.given().header("Tus-Resumable", "1.0.0");
    }

    /** Creates an upload of {@code size} bytes; returns its id. */
    static String create(long size) {
        String location = tus().header("Upload-Length", size)
                .post("/uploads")
                .then()
                .statusCode(201)
                .extract()
                .header("Location");
        return location.substring("/uploads/".length());
    }

    static Response patch(String id, long offset, byte[] body) {
        return tus().contentType(OCTETS)
                .header("Upload-Offset", offset)
                .body(body)
                .patch("/uploads/" + id);
    }

    static long headOffset(String id) {
        return Long.parseLong(
                tus().head("/uploads/" + id).then().statusCode(200).extract().header("Upload-Offset"));
    }

    static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static long rows(DataSource db, String where, Object... params) {
        return Jdbc.number(db, "SELECT count(*) FROM resumable_upload WHERE " + where, List.of(params));
    }

    static String status(DataSource db, String id) {
        return Jdbc.strings(db, "SELECT status FROM resumable_upload WHERE id = ?", id)
                .get(0);
    }

    static Path spool(ResumableStore store, String id) {
        return store.find(id).orElseThrow().spoolPath();
    }

    static long files(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (Stream<Path> listing = Files.list(directory)) {
            return listing.count();
        }
    }

    /**
     * Sends a PATCH's head and the first {@code sent} bytes of its body over a raw socket, and leaves the socket open
     * for the caller to close: a client whose connection breaks mid-body.
     */
    static Socket partialPatch(String id, long offset, byte[] body, int sent) throws IOException {
        Socket socket = new Socket("localhost", RestAssured.port);
        OutputStream out = socket.getOutputStream();
        String head = "PATCH /uploads/" + id + " HTTP/1.1\r\n"
                + "Host: localhost:" + RestAssured.port + "\r\n"
                + "x-api-key: " + Api.KEY + "\r\n"
                + "Tus-Resumable: 1.0.0\r\n"
                + "Upload-Offset: " + offset + "\r\n"
                + "Content-Type: " + OCTETS + "\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body, 0, sent);
        out.flush();
        return socket;
    }
}
