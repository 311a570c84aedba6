package io.reelhook.resumable;

import io.reelhook.api.ApiException;
import io.reelhook.upload.Intake;
import io.reelhook.upload.RequestStream;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a PATCH's body into its upload's spool file, and makes what it keeps durable: fsync, then the offset in
 * PostgreSQL, then the listener told; a body the checksum refuses, or one past {@code Upload-Length}, is cut away.
 */
@Singleton
class Appender {

    private static final Logger LOG = Logger.getLogger(Appender.class);
    private static final int BUFFER = 256 * 1024;

    private final ResumableConfig config;
    private final ResumableStore store;
    private final Intake intake;
    private final CompletedUploads completed;
    private final HandOver handOver;

    Appender(
            ResumableConfig config,
            ResumableStore store,
            Intake intake,
            CompletedUploads completed,
            HandOver handOver) {
        this.config = config;
        this.store = store;
        this.intake = intake;
        this.completed = completed;
        this.handOver = handOver;
    }

    record Appended(ResumableUpload upload, ApiException failure) {}

    /** The result of reading a body: the bytes written and how the body ended. */
    private record Received(long bytes, byte[] digest, IOException cut, boolean tooLong) {}

    /**
     * Appends a body at {@code offset}, holding the upload's lock. Bytes past the stored offset on disk were never
     * acknowledged (a crash between the fsync and the store): they are cut away first.
     */
    Appended append(
            ResumableUpload upload, long offset, Long contentLength, Checksum checksum, HttpServerRequest request) {
        if (offset != upload.offset()) {
            throw new ApiException(
                    409,
                    "upload_offset_mismatch",
                    "Upload-Offset is " + offset + " but upload " + upload.id() + " has " + upload.offset()
                            + " bytes; ask with HEAD and resume from there.",
                    Map.of(Tus.UPLOAD_OFFSET, Long.toString(upload.offset())));
        }
        long remaining = upload.size() - offset;
        if (contentLength != null && contentLength > remaining) {
            throw tooLong(upload.size(), offset);
        }
        try (FileChannel file = FileChannel.open(upload.spoolPath(), StandardOpenOption.WRITE)) {
            long onDisk = file.size();
            if (onDisk < offset) {
                store.failed(upload.id(), "the spool file holds " + onDisk + " bytes, fewer than the stored " + offset);
                throw new ApiException(
                        410, "upload_failed", "Upload " + upload.id() + " lost its bytes on the server; start again.");
            }
            if (onDisk > offset) {
                file.truncate(offset);
            }
            file.position(offset);
            // the margin of free disk is the resumable directory's, where these bytes go
            Received received = intake.receive(
                    contentLength == null ? remaining : contentLength,
                    request,
                    remaining,
                    upload.spoolPath().getParent(),
                    body -> copy(body, file, checksum));
            return settle(upload, file, offset, received, checksum);
        } catch (NoSuchFileException e) {
            // terminated or expired while this request waited
            TusService.usable(store, upload.id());
            throw new ApiException(410, "upload_terminated", "Upload " + upload.id() + " has no file any more.");
        } catch (IOException | UncheckedIOException e) {
            LOG.warnf("resumable upload %s: the spool file could not be written: %s", upload.id(), e.getMessage());
            throw new ApiException(
                    503,
                    "insufficient_storage",
                    "The server could not store the upload's bytes; resume from the last offset later.",
                    Map.of("Retry-After", "10"));
        }
    }

    /** Decides what of a received body is kept, makes it durable, stores its offset and tells the listener. */
    private Appended settle(ResumableUpload upload, FileChannel file, long offset, Received received, Checksum checksum)
            throws IOException {
        ApiException failure = null;
        boolean discard = false;
        if (received.tooLong()) {
            discard = true;
            failure = tooLong(upload.size(), offset);
        } else if (checksum != null && received.cut() != null) {
            // bytes that the checksum cannot vouch for are not kept
            discard = true;
            failure = cut(received.cut());
        } else if (checksum != null && !checksum.matches(received.digest())) {
            discard = true;
            failure = new ApiException(
                    460,
                    "checksum_mismatch",
                    "The body's SHA-1 is not Upload-Checksum's; nothing of it was stored, send it again.");
        } else if (received.cut() != null) {
            // tus lets a server keep what arrived of a broken PATCH: the client asks with HEAD and resumes
            failure = cut(received.cut());
        }
        if (discard) {
            file.truncate(offset);
            file.force(true);
            return new Appended(upload, failure);
        }
        if (received.bytes() == 0) {
            return new Appended(upload, failure);
        }
        file.force(true);
        long end = offset + received.bytes();
        Optional<ResumableUpload> stored = store.storeOffset(upload.id(), offset, end, config.expireAfter());
        if (stored.isEmpty()) {
            TusService.usable(store, upload.id());
            throw new ApiException(
                    410, "upload_terminated", "Upload " + upload.id() + " ended while this request was writing.");
        }
        ResumableUpload now = stored.get();
        try {
            completed.received(now, end);
        } catch (RuntimeException e) {
            LOG.warnf(e, "resumable upload %s: the listener failed on offset %d", now.id(), end);
        }
        if (now.isComplete()) {
            handOver.hand(now);
        }
        return new Appended(now, failure);
    }

    private static Received copy(InputStream body, FileChannel file, Checksum checksum) {
        MessageDigest sha1 = checksum == null ? null : Checksum.sha1();
        byte[] buffer = new byte[BUFFER];
        long total = 0;
        while (true) {
            int n;
            try {
                n = body.read(buffer, 0, buffer.length);
            } catch (RequestStream.TooLongException e) {
                return new Received(total, null, null, true);
            } catch (IOException e) {
                return new Received(total, null, e, false);
            }
            if (n < 0) {
                return new Received(total, sha1 == null ? null : sha1.digest(), null, false);
            }
            ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
            try {
                while (chunk.hasRemaining()) {
                    file.write(chunk);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (sha1 != null) {
                sha1.update(buffer, 0, n);
            }
            total += n;
        }
    }

    private static ApiException cut(IOException why) {
        if (why instanceof RequestStream.IdleException) {
            return new ApiException(408, "request_timeout", "The upload stalled: " + why.getMessage() + ".");
        }
        return new ApiException(400, "upload_interrupted", "The request broke off: " + why.getMessage() + ".");
    }

    static ApiException tooLong(long size, long offset) {
        return new ApiException(
                413,
                "upload_length_exceeded",
                "The body is longer than the " + (size - offset) + " bytes left of Upload-Length " + size
                        + "; nothing of it was stored.");
    }
}
