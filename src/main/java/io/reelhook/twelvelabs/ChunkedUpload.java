package io.reelhook.twelvelabs;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;

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
        MultipartSession session = start(filename, null, totalSize);
        return run(source, session, totalSize, null, List.of(), Progress.NONE).upload();
    }

    /** What a run reports as it goes, so that an upload arriving over time can be resumed (resumable uploads). */
    public interface Progress {
        Progress NONE = new Progress() {};

        /** Chunk {@code chunk} is in Twelve Labs' storage, not yet reported. */
        default void sent(CompletedChunk chunk) {}

        /** Twelve Labs took the report of {@code chunks}. */
        default void reported(List<CompletedChunk> chunks) {}
    }

    /**
     * Opens a session for {@code totalSize} bytes; {@code userMetadata} (JSON object text, or null) goes with it.
     *
     * @throws UpstreamException Twelve Labs refused it, or its answer has no upload id or chunk size
     */
    public MultipartSession start(String filename, String userMetadata, long totalSize) {
        if (totalSize <= 0) {
            throw new IllegalArgumentException("a multipart upload needs a size, not " + totalSize);
        }
        MultipartSession session = uploads.create(filename, userMetadata, totalSize);
        if (session.uploadId() == null || session.chunkSize() <= 0) {
            throw new UpstreamException(
                    502, "upstream_error", "Twelve Labs' multipart session has no upload_id or chunk_size.", null);
        }
        LOG.debugf(
                "multipart upload %s of %s: %d bytes in chunks of %d",
                session.uploadId(), filename, totalSize, session.chunkSize());
        return session;
    }

    /** How many chunks {@code session} cuts {@code totalSize} bytes into. */
    public static int chunks(MultipartSession session, long totalSize) {
        return Math.toIntExact(MultipartRun.totalChunks(session, totalSize));
    }

    /**
     * Sends {@code chunks} (1-based indexes, whose bytes {@code source} already holds) to an open session and reports
     * them, with {@code unreported} (sent by an earlier run, not reported), without completing the session. Same
     * failures as {@link #upload}.
     */
    public void send(
            ChunkSource source,
            MultipartSession session,
            long totalSize,
            List<Integer> chunks,
            List<CompletedChunk> unreported,
            Progress progress)
            throws IOException {
        run(source, session, totalSize, chunks, unreported, progress).send();
    }

    /** {@link #send}, then waits until Twelve Labs says the session is {@code completed}. */
    public UploadedAsset finish(
            ChunkSource source,
            MultipartSession session,
            long totalSize,
            List<Integer> chunks,
            List<CompletedChunk> unreported,
            Progress progress)
            throws IOException {
        return run(source, session, totalSize, chunks, unreported, progress).upload();
    }

    private MultipartRun run(
            ChunkSource source,
            MultipartSession session,
            long totalSize,
            List<Integer> chunks,
            List<CompletedChunk> unreported,
            Progress progress) {
        return new MultipartRun(
                source, session, totalSize, chunks, unreported, progress, uploads, sender, config, registry);
    }
}
