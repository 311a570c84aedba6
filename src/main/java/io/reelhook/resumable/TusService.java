package io.reelhook.resumable;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelhook.api.ApiException;
import io.reelhook.upload.Intake;
import io.reelhook.upload.RequestStream;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * tus 1.0.0 at {@code /uploads} (docs/resumable.md): creation (with upload), PATCH, HEAD, termination. An offset is
 * stored only once the spool file is fsynced up to it, and a PATCH answers only once it is stored: an acknowledged
 * byte survives a crash, and a restarted Reelhook resumes from the database and the disk alone.
 */
@Singleton
public class TusService {

    private static final Logger LOG = Logger.getLogger(TusService.class);
    private static final int BUFFER = 256 * 1024;
    static final String SUFFIX = ".part";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ResumableConfig config;
    private final long maxSize;
    private final ResumableStore store;
    private final Intake intake;
    private final CompletedUploads completed;
    private final HandOver handOver;
    private final ObjectMapper json;

    TusService(
            ResumableConfig config,
            // Tus-Max-Size: no default here, the reelhook.asset mapping holds it (a resumable upload becomes an asset)
            @ConfigProperty(name = "reelhook.asset.max-size") long maxSize,
            ResumableStore store,
            Intake intake,
            CompletedUploads completed,
            HandOver handOver,
            ObjectMapper json) {
        this.config = config;
        this.maxSize = maxSize;
        this.store = store;
        this.intake = intake;
        this.completed = completed;
        this.handOver = handOver;
        this.json = json;
    }

    long maxSize() {
        return maxSize;
    }

    /** {@code POST /uploads}; with an {@code application/offset+octet-stream} body, also its first PATCH. */
    Response create(
            String lengthHeader,
            String deferLength,
            String metadataHeader,
            String contentType,
            Long contentLength,
            String checksumHeader,
            HttpServerRequest request) {
        if (lengthHeader == null) {
            if (deferLength != null) {
                throw new ApiException(
                        400,
                        "parameter_invalid",
                        "Upload-Defer-Length is not supported (tus creation-defer-length): send Upload-Length.");
            }
            throw ApiException.notProvided(Tus.UPLOAD_LENGTH);
        }
        long size = number(Tus.UPLOAD_LENGTH, lengthHeader);
        if (size == 0) {
            throw ApiException.invalid(Tus.UPLOAD_LENGTH, "an empty file is no video.");
        }
        if (size > maxSize) {
            throw new ApiException(
                    413,
                    "asset_filesize_too_large",
                    "The upload is " + size + " bytes; Tus-Max-Size is " + maxSize + ".",
                    Map.of(Tus.TUS_MAX_SIZE, Long.toString(maxSize)));
        }
        UploadMetadata metadata = UploadMetadata.parse(metadataHeader, json);
        boolean withBody = isOffsetStream(contentType);
        if (!withBody && contentType != null && hasBody(contentLength, request)) {
            throw unsupportedType(contentType);
        }
        Checksum checksum = withBody ? Checksum.parse(checksumHeader) : null;
        if (withBody && contentLength != null && contentLength > size) {
            throw tooLong(size, 0);
        }
        String id = HexFormat.of().formatHex(randomBytes());
        Path spool = config.directory().toAbsolutePath().resolve(id + SUFFIX);
        ResumableUpload upload;
        try {
            Files.createDirectories(spool.getParent());
            Files.createFile(spool);
            syncDirectory(spool.getParent());
        } catch (IOException e) {
            throw new ApiException(
                    503,
                    "insufficient_storage",
                    "The resumable upload directory is not usable: " + e.getMessage(),
                    Map.of("Retry-After", "10"));
        }
        try {
            upload = store.insert(id, size, metadata, metadataHeader, spool, config.expireAfter());
        } catch (RuntimeException e) {
            deleteQuietly(spool);
            throw e;
        }
        String location = "/uploads/" + id;
        if (withBody) {
            Appended appended;
            try {
                appended = locked(upload.id(), current -> append(current, 0, contentLength, checksum, request));
            } catch (ApiException e) {
                // 429, 503, ...: the upload exists, empty, and its address lets the client resume
                appended = new Appended(upload, e);
            }
            upload = appended.upload();
            if (appended.failure() != null) {
                return Response.fromResponse(appended.failure().toResponse())
                        .header("Location", location)
                        .header(Tus.UPLOAD_OFFSET, upload.offset())
                        .build();
            }
        }
        Response.ResponseBuilder created =
                Response.status(201).header("Location", location).header(Tus.UPLOAD_OFFSET, upload.offset());
        expires(created, upload);
        return created.build();
    }

    /** {@code HEAD /uploads/{id}}: what the database says is durable. */
    Response head(String id) {
        ResumableUpload upload = usable(id);
        Response.ResponseBuilder answer = Response.ok()
                .header(Tus.UPLOAD_OFFSET, upload.offset())
                .header(Tus.UPLOAD_LENGTH, upload.size())
                .header("Cache-Control", "no-store");
        if (upload.metadataHeader() != null) {
            answer.header(Tus.UPLOAD_METADATA, upload.metadataHeader());
        }
        expires(answer, upload);
        return answer.build();
    }

    /** {@code PATCH /uploads/{id}}: appends the body at {@code Upload-Offset}. */
    Response patch(
            String id,
            String contentType,
            String offsetHeader,
            Long contentLength,
            String checksumHeader,
            HttpServerRequest request) {
        if (!isOffsetStream(contentType)) {
            throw unsupportedType(contentType);
        }
        if (offsetHeader == null) {
            throw ApiException.notProvided(Tus.UPLOAD_OFFSET);
        }
        long offset = number(Tus.UPLOAD_OFFSET, offsetHeader);
        Checksum checksum = Checksum.parse(checksumHeader);
        usable(id);
        Appended appended = locked(id, current -> append(current, offset, contentLength, checksum, request));
        if (appended.failure() != null) {
            throw appended.failure();
        }
        Response.ResponseBuilder answer =
                Response.noContent().header(Tus.UPLOAD_OFFSET, appended.upload().offset());
        expires(answer, appended.upload());
        return answer.build();
    }

    /** {@code DELETE /uploads/{id}}: the file goes, the row stays as a tombstone (410 from then on). */
    Response terminate(String id) {
        if (!store.terminate(id)) {
            ResumableUpload upload = usable(id);
            throw new ApiException(
                    409,
                    "upload_complete",
                    "Upload " + upload.id() + " is complete and handed over; it can no longer be terminated.");
        }
        // a PATCH still writing keeps its open file, and can store no offset on a terminated row
        store.find(id).ifPresent(upload -> deleteQuietly(upload.spoolPath()));
        return Response.noContent().build();
    }

    /** {@code GET /api/v1/uploads/{id}}. */
    UploadView view(String id) {
        return UploadView.of(store.find(id).orElseThrow(() -> notFound(id)));
    }

    /** The upload, or 404 when unknown and 410 when it ended without completing. */
    private ResumableUpload usable(String id) {
        ResumableUpload upload = store.find(id).orElseThrow(() -> notFound(id));
        switch (upload.status()) {
            case ResumableUpload.EXPIRED ->
                throw new ApiException(
                        410, "upload_expired", "Upload " + id + " expired: it received nothing for too long.");
            case ResumableUpload.TERMINATED ->
                throw new ApiException(410, "upload_terminated", "Upload " + id + " was terminated.");
            default -> {
                return upload;
            }
        }
    }

    private interface Locked {
        Appended run(ResumableUpload current);
    }

    /** Runs {@code work} on the upload as stored once its lock is held; 423 when another PATCH holds it. */
    private Appended locked(String id, Locked work) {
        Optional<ResumableStore.Lock> lock = store.tryLock(id);
        if (lock.isEmpty()) {
            throw new ApiException(
                    423, "upload_locked", "Another request is writing to upload " + id + "; try again when it ended.");
        }
        try (ResumableStore.Lock held = lock.get()) {
            return work.run(usable(id));
        }
    }

    private record Appended(ResumableUpload upload, ApiException failure) {}

    /** The result of reading a body: the bytes written and how the body ended. */
    private record Received(long bytes, byte[] digest, IOException cut, boolean tooLong) {}

    /**
     * Appends a body at {@code offset}, holding the upload's lock. Bytes past the stored offset on disk were never
     * acknowledged (a crash between the fsync and the store): they are cut away first.
     */
    private Appended append(
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
            Received received = intake.receive(
                    contentLength == null ? remaining : contentLength,
                    request,
                    remaining,
                    body -> copy(body, file, checksum));
            return settle(upload, file, offset, received, checksum);
        } catch (NoSuchFileException e) {
            // terminated or expired while this request waited
            usable(upload.id());
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
            usable(upload.id());
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

    private static ApiException tooLong(long size, long offset) {
        return new ApiException(
                413,
                "upload_length_exceeded",
                "The body is longer than the " + (size - offset) + " bytes left of Upload-Length " + size
                        + "; nothing of it was stored.");
    }

    private static ApiException unsupportedType(String contentType) {
        return new ApiException(
                415,
                "unsupported_media_type",
                "The body must be " + Tus.OFFSET_OCTET_STREAM + ", not " + contentType + ".");
    }

    static ApiException notFound(String id) {
        return new ApiException(404, "resource_not_exist", "There is no upload with id " + id + ".");
    }

    private void expires(Response.ResponseBuilder answer, ResumableUpload upload) {
        if (ResumableUpload.RECEIVING.equals(upload.status())) {
            answer.header(Tus.UPLOAD_EXPIRES, Tus.httpDate(upload.expiresAt()));
        }
    }

    private static boolean isOffsetStream(String contentType) {
        return contentType != null
                && contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT).equals(Tus.OFFSET_OCTET_STREAM);
    }

    private static boolean hasBody(Long contentLength, HttpServerRequest request) {
        return contentLength == null ? request.getHeader("Transfer-Encoding") != null : contentLength > 0;
    }

    private static long number(String header, String value) {
        if (!value.matches("\\d{1,18}")) {
            throw ApiException.invalid(header, "it must be a non-negative integer.");
        }
        return Long.parseLong(value);
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    /** A new file's name is durable only once its directory is synced. */
    private static void syncDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // not every file system lets a directory be opened; the file's own fsync still holds its bytes
            LOG.debugf("could not sync %s: %s", directory, e.getMessage());
        }
    }

    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warnf("could not delete the resumable spool file %s: %s", file, e.getMessage());
        }
    }

    /** tus' checksum extension: {@code Upload-Checksum: sha1 <base64>}. */
    record Checksum(byte[] expected) {

        static Checksum parse(String header) {
            if (header == null) {
                return null;
            }
            String[] parts = header.trim().split(" ", 2);
            if (parts.length != 2 || !parts[0].equalsIgnoreCase("sha1")) {
                throw new ApiException(
                        400,
                        "checksum_algorithm_unsupported",
                        "Upload-Checksum must be \"sha1 <base64>\"; Tus-Checksum-Algorithm is "
                                + Tus.CHECKSUM_ALGORITHMS + ".");
            }
            byte[] expected;
            try {
                expected = Base64.getDecoder().decode(parts[1].trim());
            } catch (IllegalArgumentException e) {
                throw ApiException.invalid(Tus.UPLOAD_CHECKSUM, "the digest is not base64.");
            }
            if (expected.length != 20) {
                throw ApiException.invalid(Tus.UPLOAD_CHECKSUM, "a SHA-1 digest has 20 bytes.");
            }
            return new Checksum(expected);
        }

        boolean matches(byte[] digest) {
            return digest != null && MessageDigest.isEqual(expected, digest);
        }

        static MessageDigest sha1() {
            try {
                return MessageDigest.getInstance("SHA-1");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
