package io.reelhook.resumable;

import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.db.Jdbc;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;

import static io.reelhook.resumable.TusClientSupport.headOffset;
import static io.reelhook.resumable.TusClientSupport.patch;
import static io.reelhook.resumable.TusClientSupport.random;
import static io.reelhook.resumable.TusClientSupport.sha256;
import static io.reelhook.resumable.TusClientSupport.tus;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A restarted Reelhook resumes from PostgreSQL and the spool file alone. The suite's one Quarkus cannot be restarted,
 * so these tests leave an upload the way an earlier process would have (a row written with SQL and a file written
 * beside it, neither ever seen by this process) and show that HEAD and PATCH work from those alone. No instance keeps
 * an upload's state in memory: there is nothing else to clear.
 */
@QuarkusTest
class TusDurabilityTest {

    @Inject
    DataSource db;

    @Inject
    ResumableConfig config;

    /** An upload an earlier process left: {@code offset} bytes stored, {@code onDisk} bytes in its file. */
    private String leftBehind(byte[] source, int offset, byte[] onDisk) throws Exception {
        String id = HexFormat.of().formatHex(UUID.randomUUID().toString().getBytes(), 0, 16);
        Path file = config.directory().toAbsolutePath().resolve(id + ".part");
        Files.createDirectories(file.getParent());
        Files.write(file, onDisk);
        Jdbc.update(
                db,
                "INSERT INTO resumable_upload (id, size, upload_offset, status, spool_path, expires_at)"
                        + " VALUES (?, ?, ?, 'receiving', ?, now() + interval '1 hour')",
                id,
                (long) source.length,
                (long) offset,
                file.toString());
        return id;
    }

    @Inject
    HandOver handOver;

    @Test
    void anUploadAnEarlierProcessCompletedButNeverHandedOverIsHandedOverAtStart() throws Exception {
        byte[] source = random(20_000, 24);
        String id = leftBehind(source, source.length, source);
        Jdbc.update(db, "UPDATE resumable_upload SET status = 'complete' WHERE id = ?", id);
        String handled = leftBehind(source, source.length, source);
        Jdbc.update(
                db, "UPDATE resumable_upload SET status = 'complete', asset_id = 'asset_made' WHERE id = ?", handled);

        handOver.resumeLeftovers(null);

        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(20))
                .until(() -> RecordingCompletedUploads.completed(id).size() == 1);
        // random bytes: the asset pipeline refuses them, and says why
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(20))
                .until(() -> "failed".equals(TusClientSupport.status(db, id)));
        assertThat(RecordingCompletedUploads.completed(handled)).isEmpty();
    }

    @Test
    void anOffsetStoredByAnEarlierProcessIsWhereTheClientResumes() throws Exception {
        byte[] source = random(600_000, 21);
        int offset = 250_000;
        String id = leftBehind(source, offset, Arrays.copyOf(source, offset));

        assertThat(headOffset(id)).isEqualTo(offset);
        patch(id, 0, Arrays.copyOf(source, 10)).then().statusCode(409);
        patch(id, offset, Arrays.copyOfRange(source, offset, source.length))
                .then()
                .statusCode(204)
                .header("Upload-Offset", Integer.toString(source.length));

        Path file = config.directory().toAbsolutePath().resolve(id + ".part");
        assertThat(sha256(Files.readAllBytes(file))).isEqualTo(sha256(source));
        assertThat(TusClientSupport.status(db, id)).isEqualTo("complete");
    }

    @Test
    void bytesPastTheStoredOffsetWereNeverAcknowledgedAndAreDropped() throws Exception {
        // an earlier process wrote 100 000 bytes and died before it stored more than 80 000 of them
        byte[] source = random(300_000, 22);
        byte[] onDisk = Arrays.copyOf(source, 100_000);
        Arrays.fill(onDisk, 80_000, 100_000, (byte) 7);
        String id = leftBehind(source, 80_000, onDisk);

        tus().head("/uploads/" + id).then().statusCode(200).header("Upload-Offset", "80000");
        // shorter than what lies past the offset: the file must end where this PATCH ends
        patch(id, 80_000, Arrays.copyOfRange(source, 80_000, 90_000))
                .then()
                .statusCode(204)
                .header("Upload-Offset", "90000");

        Path file = config.directory().toAbsolutePath().resolve(id + ".part");
        assertThat(Files.readAllBytes(file)).isEqualTo(Arrays.copyOf(source, 90_000));
        patch(id, 90_000, Arrays.copyOfRange(source, 90_000, source.length))
                .then()
                .statusCode(204);
        assertThat(Files.readAllBytes(file)).isEqualTo(source);
    }

    @Test
    void aFileShorterThanItsStoredOffsetFailsTheUploadInsteadOfAppendingAtAGap() throws Exception {
        byte[] source = random(1000, 23);
        String id = leftBehind(source, 600, Arrays.copyOf(source, 300));

        patch(id, 600, Arrays.copyOfRange(source, 600, 1000))
                .then()
                .statusCode(410)
                .body("code", org.hamcrest.Matchers.equalTo("upload_failed"));

        assertThat(TusClientSupport.status(db, id)).isEqualTo("failed");
        assertThat(Files.size(config.directory().toAbsolutePath().resolve(id + ".part")))
                .isEqualTo(300);
    }

    @Inject
    ResumableCleanup cleanup;

    @Test
    void cleanupRemovesOldFilesThatNoUploadNamesAndKeepsTheRest() throws Exception {
        Path directory = config.directory().toAbsolutePath();
        Files.createDirectories(directory);
        java.nio.file.attribute.FileTime twoDaysAgo =
                java.nio.file.attribute.FileTime.from(java.time.Instant.now().minus(java.time.Duration.ofDays(2)));
        Path orphan = Files.write(directory.resolve(HexFormat.of().formatHex(random(16, 41)) + ".part"), new byte[3]);
        Files.setLastModifiedTime(orphan, twoDaysAgo);
        Path fresh = Files.write(directory.resolve(HexFormat.of().formatHex(random(16, 42)) + ".part"), new byte[3]);
        byte[] source = random(100, 43);
        String live = leftBehind(source, 50, Arrays.copyOf(source, 50));
        Path liveFile = directory.resolve(live + ".part");
        Files.setLastModifiedTime(liveFile, twoDaysAgo);

        assertThat(cleanup.removeOrphans()).isGreaterThanOrEqualTo(1);

        assertThat(orphan).doesNotExist();
        assertThat(fresh).exists();
        assertThat(liveFile).exists();
        assertThat(headOffset(live)).isEqualTo(50);
        Files.delete(fresh);
    }
}
