package io.reelhook.resumable;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelhook.api.ApiException;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Singleton;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
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
    static final String SUFFIX = ".part";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ResumableConfig config;
    private final long maxSize;
    private final ResumableStore store;
    private final Appender appender;
    private final ObjectMapper json;

    TusService(
            ResumableConfig config,
            // Tus-Max-Size: no default here, the reelhook.asset mapping holds it (a resumable upload becomes an asset)
            @ConfigProperty(name = "reelhook.asset.max-size") long maxSize,
            ResumableStore store,
            Appender appender,
            ObjectMapper json) {
        this.config = config;
        this.maxSize = maxSize;
        this.store = store;
        this.appender = appender;
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
            throw Appender.tooLong(size, 0);
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
            Appender.Appended appended;
            try {
                appended =
                        locked(upload.id(), current -> appender.append(current, 0, contentLength, checksum, request));
            } catch (ApiException e) {
                // 429, 503, ...: the upload exists, empty, and its address lets the client resume
                appended = new Appender.Appended(upload, e);
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
        Appender.Appended appended =
                locked(id, current -> appender.append(current, offset, contentLength, checksum, request));
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

    private ResumableUpload usable(String id) {
        return usable(store, id);
    }

    /** The upload, or 404 when unknown and 410 when it ended without completing. */
    static ResumableUpload usable(ResumableStore store, String id) {
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
        Appender.Appended run(ResumableUpload current);
    }

    /** Runs {@code work} on the upload as stored once its lock is held; 423 when another PATCH holds it. */
    private Appender.Appended locked(String id, Locked work) {
        Optional<ResumableStore.Lock> lock = store.tryLock(id);
        if (lock.isEmpty()) {
            throw new ApiException(
                    423, "upload_locked", "Another request is writing to upload " + id + "; try again when it ended.");
        }
        try (ResumableStore.Lock held = lock.get()) {
            return work.run(usable(id));
        }
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
}
