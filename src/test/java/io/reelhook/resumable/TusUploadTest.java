package io.reelhook.resumable;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.testing.Api;
import io.tus.java.client.TusClient;
import io.tus.java.client.TusUpload;
import io.tus.java.client.TusUploader;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.reelhook.resumable.TusClientSupport.headOffset;
import static io.reelhook.resumable.TusClientSupport.partialPatch;
import static io.reelhook.resumable.TusClientSupport.random;
import static io.reelhook.resumable.TusClientSupport.rows;
import static io.reelhook.resumable.TusClientSupport.sha256;
import static io.reelhook.resumable.TusClientSupport.spool;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

/** tus' own Java client against {@code /uploads}: whole uploads in chunks, and resuming after a cut connection. */
@QuarkusTest
class TusUploadTest {

    private static final int CHUNK = 256 * 1024;

    @TestHTTPResource("/uploads")
    URL creation;

    @Inject
    DataSource db;

    @Inject
    ResumableStore store;

    @TempDir
    Path temp;

    private TusClient client() {
        TusClient client = new TusClient();
        client.setUploadCreationURL(creation);
        client.setHeaders(Map.of("x-api-key", Api.KEY));
        return client;
    }

    private static TusUpload upload(File file) throws Exception {
        TusUpload upload = new TusUpload(file);
        upload.setMetadata(Map.of("filename", "clip.mp4", "filetype", "video/mp4"));
        return upload;
    }

    /** Uploads in chunks of 256 KiB, 1 MiB per PATCH, until done; returns the number of chunks sent. */
    private static int drive(TusUploader uploader) throws Exception {
        uploader.setChunkSize(CHUNK);
        int chunks = 0;
        while (uploader.uploadChunk() > -1) {
            chunks++;
        }
        uploader.finish();
        return chunks;
    }

    @Test
    void tusJavaClientUploadsAFileInChunksAndTheSpoolFileIsTheSource() throws Exception {
        byte[] source = random(3 * 1024 * 1024 + 12345, 1);
        Path file = Files.write(temp.resolve("clip.mp4"), source);
        long completeBefore = rows(db, "status = 'complete'");

        TusUploader uploader = client().createUpload(upload(file.toFile()));
        uploader.setRequestPayloadSize(1024 * 1024);
        int chunks = drive(uploader);

        String id = uploader.getUploadURL().getPath().substring("/uploads/".length());
        assertThat(chunks).isEqualTo((source.length + CHUNK - 1) / CHUNK);
        assertThat(uploader.getOffset()).isEqualTo(source.length);
        assertThat(sha256(Files.readAllBytes(spool(store, id)))).isEqualTo(sha256(source));
        assertThat(rows(db, "status = 'complete'")).isEqualTo(completeBefore + 1);
        assertThat(rows(
                        db,
                        "id = ? AND filename = 'clip.mp4' AND upload_offset = size AND size = ?",
                        id,
                        source.length))
                .isEqualTo(1);
        Api.given()
                .get("/api/v1/uploads/" + id)
                .then()
                .statusCode(200)
                .body("id", equalTo(id))
                .body("offset", equalTo(source.length))
                .body("size", equalTo(source.length))
                .body("status", equalTo("complete"))
                .body("asset_id", nullValue())
                .body("error", nullValue());
    }

    @Test
    void aConnectionCutAtFortyPercentKeepsWhatArrivedAndTheClientResumesFromIt() throws Exception {
        byte[] source = random(2 * 1024 * 1024 + 777, 2);
        Path file = Files.write(temp.resolve("cut.mp4"), source);
        TusClient client = client();
        TusUploader first = client.createUpload(upload(file.toFile()));
        URL url = first.getUploadURL();
        String id = url.getPath().substring("/uploads/".length());
        int cut = source.length * 40 / 100;

        // 40% of the body is on its way to the server; then the connection breaks
        partialPatch(id, 0, source, cut).close();
        await().atMost(Duration.ofSeconds(20)).until(() -> headOffset(id) == cut && !store.locked(id));
        assertThat(Files.size(spool(store, id))).isEqualTo(cut);
        assertThat(Files.readAllBytes(spool(store, id))).isEqualTo(java.util.Arrays.copyOf(source, cut));

        TusUploader resumed = client.beginOrResumeUploadFromURL(upload(file.toFile()), url);
        assertThat(resumed.getOffset()).isEqualTo(cut);
        drive(resumed);

        assertThat(headOffset(id)).isEqualTo(source.length);
        assertThat(sha256(Files.readAllBytes(spool(store, id)))).isEqualTo(sha256(source));
        assertThat(TusClientSupport.status(db, id)).isEqualTo("complete");
    }
}
