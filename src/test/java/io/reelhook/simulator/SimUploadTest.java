package io.reelhook.simulator;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** A multipart session and its asset, without HTTP. */
class SimUploadTest {

    private static final Chaos NONE = new Chaos(
            false,
            false,
            false,
            Duration.ZERO,
            Duration.ZERO,
            0,
            0,
            Optional.empty(),
            Optional.empty(),
            Optional.empty());

    private static SimAsset reserved(Instant deadline) {
        SimAsset asset =
                new SimAsset("a", "multipart", "f.mp4", null, null, NONE, false, false, new CompletableFuture<>());
        asset.abandonAfter(deadline);
        return asset;
    }

    @Test
    void chunksAreSizedByChunkSizeAndTheLastIsTheRemainder() {
        SimUpload upload = new SimUpload("u", reserved(Instant.MAX), 25, 10, Instant.MAX, Set.of(), Set.of());
        assertThat(upload.totalChunks).isEqualTo(3);
        assertThat(upload.expectedSize(1)).isEqualTo(10);
        assertThat(upload.expectedSize(3)).isEqualTo(5);
        SimUpload exact = new SimUpload("v", reserved(Instant.MAX), 20, 10, Instant.MAX, Set.of(), Set.of());
        assertThat(exact.totalChunks).isEqualTo(2);
        assertThat(exact.expectedSize(2)).isEqualTo(10);
    }

    @Test
    void aReportCompletesTheSessionOnceAndDuplicatesAreCounted() {
        SimUpload upload = new SimUpload("u", reserved(Instant.MAX), 15, 10, Instant.MAX, Set.of(), Set.of());
        upload.uploaded(1, 10, "aa", "s1");
        upload.uploaded(2, 5, "bb", "s2");
        SimUpload.Report first = upload.report(
                List.of(new SimUpload.Reported(1, "\"AA\"", "etag", 10), new SimUpload.Reported(1, "aa", "etag", 10)));
        assertThat(first.processed()).isEqualTo(1);
        assertThat(first.duplicates()).isEqualTo(1);
        assertThat(first.completedNow()).isFalse();
        SimUpload.Report last = upload.report(List.of(new SimUpload.Reported(2, "bb", "etag", 5)));
        assertThat(last.completedNow()).isTrue();
        assertThat(last.totalCompleted()).isEqualTo(2);
        assertThat(upload.status()).isEqualTo("completed");
        assertThat(upload.report(List.of(new SimUpload.Reported(2, "bb", "etag", 5)))
                        .completedNow())
                .isFalse();
    }

    @Test
    void anUploadPastItsExpiryIsExpiredAndItsAssetFailsSoTheTablesCanForgetThem() {
        Instant past = Instant.now().minusSeconds(1);
        SimAsset asset = reserved(past);
        SimUpload upload = new SimUpload("u", asset, 15, 10, past, Set.of(), Set.of());
        assertThat(upload.status()).isEqualTo("expired");
        assertThat(upload.finished()).isTrue();
        assertThat(asset.terminal()).isTrue();
        assertThat(asset.detail().error().code()).isEqualTo("upload_expired");
        assertThat(reserved(Instant.now().plusSeconds(60)).terminal()).isFalse();
    }
}
