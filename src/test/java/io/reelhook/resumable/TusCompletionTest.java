package io.reelhook.resumable;

import io.quarkus.test.junit.QuarkusTest;
import io.reelhook.testing.Api;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.Arrays;

import static io.reelhook.resumable.RecordingCompletedUploads.completed;
import static io.reelhook.resumable.RecordingCompletedUploads.received;
import static io.reelhook.resumable.TusClientSupport.create;
import static io.reelhook.resumable.TusClientSupport.headOffset;
import static io.reelhook.resumable.TusClientSupport.patch;
import static io.reelhook.resumable.TusClientSupport.random;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

/** What {@link CompletedUploads} is told: each durable offset in order, then the completed file once. */
@QuarkusTest
class TusCompletionTest {

    @Inject
    DataSource db;

    @Inject
    ResumableStore store;

    @Test
    void eachDurableOffsetIsReportedInOrderAndTheCompleteFileOnce() {
        String id = create(300);
        byte[] source = random(300, 31);
        patch(id, 0, Arrays.copyOfRange(source, 0, 100)).then().statusCode(204);
        patch(id, 100, new byte[0]).then().statusCode(204).header("Upload-Offset", "100");
        patch(id, 100, Arrays.copyOfRange(source, 100, 250)).then().statusCode(204);
        assertThat(completed(id)).isEmpty();
        patch(id, 250, Arrays.copyOfRange(source, 250, 300)).then().statusCode(204);

        await().atMost(Duration.ofSeconds(10)).until(() -> completed(id).size() == 1);
        // an empty PATCH made nothing durable and is not reported
        assertThat(received(id)).containsExactly(id + "@100", id + "@250", id + "@300");
        assertThat(completed(id)).containsExactly(id + ":complete:300");
        // the asset pipeline refuses random bytes (video_file_broken, or Twelve Labs' refusal without ffprobe); a
        // PATCH afterwards changes nothing and completes nothing again
        await().atMost(Duration.ofSeconds(10)).until(() -> "failed".equals(TusClientSupport.status(db, id)));
        patch(id, 300, new byte[0]).then().statusCode(410);
        assertThat(completed(id)).hasSize(1);
        assertThat(received(id)).hasSize(3);
    }

    @Test
    void aBrokenPatchReportsWhatArrived() throws Exception {
        // larger than the sockets' buffers, so that the server is reading when the connection breaks
        String id = create(2_000_000);
        byte[] source = random(2_000_000, 32);
        TusClientSupport.partialPatch(id, 0, source, 800_000).close();
        await().atMost(Duration.ofSeconds(20)).until(() -> headOffset(id) == 800_000 && !store.locked(id));
        assertThat(received(id)).containsExactly(id + "@800000");
        assertThat(completed(id)).isEmpty();
    }

    @Test
    void aHandOverThatThrowsMarksTheUploadFailedWithWhy() {
        String id = create(10);
        RecordingCompletedUploads.FAIL.put(id, "Twelve Labs refused the asset");
        patch(id, 0, random(10, 33)).then().statusCode(204);

        await().atMost(Duration.ofSeconds(10)).until(() -> "failed".equals(TusClientSupport.status(db, id)));
        Api.given()
                .get("/api/v1/uploads/" + id)
                .then()
                .statusCode(200)
                .body("status", equalTo("failed"))
                .body("error", equalTo("Twelve Labs refused the asset"));
    }

    @Test
    void theAssetPipelineRecordsWhatItMade() {
        String id = create(10);
        store.assetCreated(id, "asset_1");
        store.indexedAssetCreated(id, "ia_1");
        Api.given()
                .get("/api/v1/uploads/" + id)
                .then()
                .statusCode(200)
                .body("asset_id", equalTo("asset_1"))
                .body("indexed_asset_id", equalTo("ia_1"));
    }
}
