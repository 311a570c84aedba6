package io.reelhook.simulator;

import io.smallrye.common.annotation.Blocking;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * The simulator's stand-in for the object storage that Twelve Labs' presigned chunk URLs point at. It needs no key
 * (the URL's signature stands for it, checked before any byte is read), keeps no bytes, and answers as S3 does: an
 * {@code ETag} of the chunk's MD5, quoted, and XML errors.
 */
@PermitAll
@Path(SimulatorConfig.STORAGE_PATH + "/{uploadId}/{chunkIndex}")
@Tag(name = "Twelve Labs simulator", description = "A stand-in for Twelve Labs' v1.3 task API (in memory)")
public class ChunkStorageResource {

    @Inject
    SimUploads uploads;

    @Inject
    SimulatorConfig config;

    @PUT
    @Blocking
    @Operation(summary = "Upload one chunk of a simulated multipart upload (presigned)")
    public Response put(
            @PathParam("uploadId") String uploadId,
            @PathParam("chunkIndex") String chunkIndex,
            @QueryParam("expires") String expires,
            @QueryParam("signature") String signature,
            @Context RoutingContext request) {
        int index;
        long expiry;
        try {
            index = Integer.parseInt(chunkIndex);
            expiry = Long.parseLong(expires);
        } catch (NumberFormatException e) {
            return unread(request, 403, "AccessDenied", "Query-string authentication requires expires and signature.");
        }
        if (!uploads.signed(uploadId, index, expiry, signature)) {
            return unread(request, 403, "SignatureDoesNotMatch", "The request signature we calculated does not match.");
        }
        if (Instant.now().getEpochSecond() > expiry) {
            return unread(request, 403, "AccessDenied", "Request has expired");
        }
        Optional<SimUpload> found = uploads.find(uploadId);
        if (found.isEmpty() || !"active".equals(found.get().status())) {
            return found.isPresent() && "expired".equals(found.get().status())
                    ? unread(request, 403, "AccessDenied", "The upload session has expired.")
                    : unread(request, 404, "NoSuchUpload", "The specified upload does not exist.");
        }
        SimUpload upload = found.get();
        long expected = upload.expectedSize(index);
        boolean failing = uploads.put(upload, index);
        String length = request.request().getHeader("Content-Length");
        if (length != null && !length.equals(Long.toString(expected))) {
            return s3(request, 400, "InvalidArgument", wrongSize(index, length, expected));
        }
        ChunkBody.Digests body;
        try {
            body = ChunkBody.read(request.request(), expected);
        } catch (SimForm.TooLargeException e) {
            return s3(request, 400, "InvalidArgument", wrongSize(index, "more than " + expected, expected));
        } catch (IOException e) {
            return s3(request, 400, "IncompleteBody", "The chunk could not be read.");
        }
        if (failing) {
            upload.lost(index);
            return s3(request, 500, "InternalError", "We encountered an internal error. Please try again. (simulated)");
        }
        if (body.size() != expected) {
            return s3(request, 400, "InvalidArgument", wrongSize(index, Long.toString(body.size()), expected));
        }
        upload.uploaded(index, body.size(), body.md5(), body.sha256());
        return Response.ok().header("ETag", "\"" + body.md5() + "\"").build();
    }

    private static String wrongSize(int index, String got, long expected) {
        return "Chunk " + index + " is " + got + " bytes; it must be " + expected + ".";
    }

    /**
     * A refusal before the chunk was read: a chunk's worth of body is read and dropped first, as S3 does, so that a
     * client still sending gets the answer instead of a broken connection; a longer body is left, and the connection
     * closed.
     */
    private Response unread(RoutingContext request, int status, String code, String message) {
        try {
            ChunkBody.read(request.request(), config.chunkSize().asLongValue());
        } catch (IOException tooLongOrBroken) {
            return s3(request, status, code, message);
        }
        return xml(status, code, message);
    }

    /** S3's error body; the connection closes after it when the body was left unread. */
    private static Response s3(RoutingContext request, int status, String code, String message) {
        SimulatorGuard.closeAfter(request);
        return xml(status, code, message);
    }

    private static Response xml(int status, String code, String message) {
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>"
                + message.replace("&", "&amp;").replace("<", "&lt;") + "</Message></Error>";
        return Response.status(status)
                .type(MediaType.APPLICATION_XML)
                .entity(xml)
                .build();
    }
}
