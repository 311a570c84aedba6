package io.reelhook.twelvelabs;

import io.micrometer.core.instrument.Counter;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * One multipart upload's presigned URLs: those Twelve Labs handed out, fetched in batches of up to 50 from the chunk
 * that needs one, renewed when refused or about to expire. Shared by the upload's workers.
 */
final class PresignedUrlBook {

    private final MultipartSession session;
    private final int totalChunks;
    private final Duration margin;
    private final MultipartUploads uploads;
    private final Counter renewed;
    private final Map<Integer, PresignedUrl> urls = new HashMap<>();

    PresignedUrlBook(
            MultipartSession session, int totalChunks, Duration margin, MultipartUploads uploads, Counter renewed) {
        this.session = session;
        this.totalChunks = totalChunks;
        this.margin = margin;
        this.uploads = uploads;
        this.renewed = renewed;
        for (PresignedUrl url : session.uploadUrls()) {
            if (url.url() != null) {
                urls.put(url.chunkIndex(), url);
            }
        }
    }

    /** Whether {@code url} expires within the margin: it is renewed before use. */
    boolean expiring(PresignedUrl url) {
        return url.expiry()
                .filter(expiry -> expiry.isBefore(Instant.now().plus(margin)))
                .isPresent();
    }

    /** Makes sure a URL for {@code index} is known, asking for the next batch when it is missing. */
    synchronized void ensure(int index) {
        if (!urls.containsKey(index)) {
            renew(index);
        }
    }

    /**
     * A URL for {@code index} that is neither {@code spent} (refused, or expiring) nor about to expire, renewing the
     * batch from {@code index} when needed. Renewed URLs are used even when they expire within the margin: they are
     * the freshest Twelve Labs gives.
     */
    synchronized PresignedUrl usable(int index, PresignedUrl spent) {
        PresignedUrl url = urls.get(index);
        if (url == null || url.equals(spent) || expiring(url)) {
            renew(index);
            url = urls.get(index);
        }
        if (url == null || url.equals(spent)) {
            throw new UpstreamException(
                    502, "upstream_error", "Twelve Labs gave no fresh URL for chunk " + index + ".", null);
        }
        return url;
    }

    /** The URL of {@code index} was used up: the next use asks for a fresh one. */
    synchronized void forget(int index) {
        urls.remove(index);
    }

    private void renew(int start) {
        int count = Math.min(MultipartUploads.MAX_URLS, totalChunks - start + 1);
        PresignedUrls fresh = uploads.presignedUrls(session.uploadId(), start, count);
        int received = 0;
        for (PresignedUrl url : fresh.uploadUrls()) {
            if (url.url() != null && url.chunkIndex() >= 1 && url.chunkIndex() <= totalChunks) {
                urls.put(url.chunkIndex(), url);
                received++;
            }
        }
        renewed.increment(received);
    }
}
