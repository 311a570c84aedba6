package io.reelhook.twelvelabs;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InterruptedIOException;

/**
 * Sends a file larger than Twelve Labs' direct-upload limit with its multipart upload API while the file still
 * arrives: the session is created from the declared size, and each chunk is PUT to its presigned URL as soon as its
 * bytes are all there, up to {@code reelhook.multipart.parallel-chunks} at once, streamed from the
 * {@link ChunkSource} (never held whole in memory) and streamed again from it for a retry. Uploaded chunks are
 * reported in batches; at the end the session must be {@code completed}.
 *
 * <p>Twelve Labs has no documented way to abort a multipart session: when the source fails or a chunk cannot be
 * sent, the PUTs in flight are reset, nothing more is sent or reported, and the session is left to lapse (it
 * expires 24 h after it was created).
 */
@ApplicationScoped
public class ChunkedUpload {

    private static final Logger LOG = Logger.getLogger(ChunkedUpload.class);

    @Inject
    MultipartUploads uploads;

    @Inject
    ChunkSender sender;

    @Inject
    MultipartConfig config;

    @Inject
    MeterRegistry registry;

    /**
     * Uploads {@code totalSize} bytes of {@code source} as {@code filename} and returns once Twelve Labs' session is
     * {@code completed}. Blocks the calling thread for the whole upload; interrupting it aborts the upload.
     *
     * @throws IOException the source's own exception, as it is, when the source failed (or ended early); an
     *     {@link InterruptedIOException} when the calling thread was interrupted
     * @throws UpstreamException Twelve Labs refused a call (its status, code and Retry-After), a chunk could not be
     *     sent within {@code reelhook.multipart.chunk-attempts}, or the session did not complete
     * @throws UpstreamUnavailableException Twelve Labs or its storage could not be reached
     */
    public UploadedAsset upload(ChunkSource source, String filename, long totalSize) throws IOException {
        if (totalSize <= 0) {
            throw new IllegalArgumentException("a multipart upload needs a size, not " + totalSize);
        }
        MultipartSession session = uploads.create(filename, totalSize);
        if (session.uploadId() == null || session.chunkSize() <= 0) {
            throw new UpstreamException(
                    502, "upstream_error", "Twelve Labs' multipart session has no upload_id or chunk_size.", null);
        }
        LOG.debugf(
                "multipart upload %s of %s: %d bytes in chunks of %d",
                session.uploadId(), filename, totalSize, session.chunkSize());
        return new MultipartRun(source, session, totalSize, uploads, sender, config, registry).upload();
    }
}
