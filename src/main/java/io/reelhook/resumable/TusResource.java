package io.reelhook.resumable;

import io.reelhook.api.ApiException;
import io.reelhook.auth.Roles;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.HEAD;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.OPTIONS;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.Locale;
import java.util.function.Supplier;

/**
 * tus 1.0.0 resumable uploads (docs/resumable.md). The bodies are read by {@link TusService} itself, on a worker,
 * as they arrive. The key is checked first (401), then {@code Tus-Resumable} (412), then the rest.
 */
@Path("/uploads")
public class TusResource {

    private final TusService tus;

    TusResource(TusService tus) {
        this.tus = tus;
    }

    @OPTIONS
    @PermitAll
    @Operation(summary = "tus: the server's version, extensions and limits")
    public Response options() {
        return Response.noContent()
                .header(Tus.TUS_VERSION, Tus.VERSION)
                .header(Tus.TUS_EXTENSION, Tus.EXTENSIONS)
                .header(Tus.TUS_MAX_SIZE, tus.maxSize())
                .header(Tus.TUS_CHECKSUM_ALGORITHM, Tus.CHECKSUM_ALGORITHMS)
                .build();
    }

    @OPTIONS
    @Path("/{id}")
    @PermitAll
    @Operation(summary = "tus: the server's version, extensions and limits")
    public Response optionsOfUpload() {
        return options();
    }

    @POST
    @RolesAllowed(Roles.CLIENT)
    @Blocking
    @Operation(summary = "tus creation (with upload): make an upload of Upload-Length bytes")
    public Response create(
            @HeaderParam(Tus.RESUMABLE) String version,
            @HeaderParam(Tus.UPLOAD_LENGTH) String length,
            @HeaderParam(Tus.UPLOAD_DEFER_LENGTH) String deferLength,
            @HeaderParam(Tus.UPLOAD_METADATA) String metadata,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength,
            @HeaderParam(Tus.UPLOAD_CHECKSUM) String checksum,
            @Context HttpServerRequest request) {
        return closingUnread(request, () -> {
            requireVersion(version);
            return tus.create(length, deferLength, metadata, contentType, contentLength, checksum, request);
        });
    }

    @HEAD
    @Path("/{id}")
    @RolesAllowed(Roles.CLIENT)
    @Blocking
    @Operation(summary = "tus: the upload's durable offset")
    public Response head(@HeaderParam(Tus.RESUMABLE) String version, @PathParam("id") String id) {
        requireVersion(version);
        return tus.head(id);
    }

    @PATCH
    @Path("/{id}")
    @RolesAllowed(Roles.CLIENT)
    @Blocking
    @Operation(summary = "tus: append the body at Upload-Offset")
    public Response patch(
            @HeaderParam(Tus.RESUMABLE) String version,
            @PathParam("id") String id,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(Tus.UPLOAD_OFFSET) String offset,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength,
            @HeaderParam(Tus.UPLOAD_CHECKSUM) String checksum,
            @Context HttpServerRequest request) {
        return closingUnread(request, () -> {
            requireVersion(version);
            return tus.patch(id, contentType, offset, contentLength, checksum, request);
        });
    }

    @DELETE
    @Path("/{id}")
    @RolesAllowed(Roles.CLIENT)
    @Blocking
    @Operation(summary = "tus termination: end the upload and delete its bytes")
    public Response terminate(
            @HeaderParam(Tus.RESUMABLE) String version,
            @PathParam("id") String id,
            @Context HttpServerRequest request) {
        return closingUnread(request, () -> {
            requireVersion(version);
            return tus.terminate(id);
        });
    }

    /**
     * tus' {@code X-HTTP-Method-Override}, for clients that cannot send PATCH or DELETE: Java's HttpURLConnection,
     * which tus-java-client uses, is one.
     */
    @POST
    @Path("/{id}")
    @RolesAllowed(Roles.CLIENT)
    @Blocking
    @Operation(summary = "tus: PATCH or DELETE through X-HTTP-Method-Override")
    public Response overridden(
            @HeaderParam(Tus.RESUMABLE) String version,
            @PathParam("id") String id,
            @HeaderParam(Tus.METHOD_OVERRIDE) String method,
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(Tus.UPLOAD_OFFSET) String offset,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long contentLength,
            @HeaderParam(Tus.UPLOAD_CHECKSUM) String checksum,
            @Context HttpServerRequest request) {
        String override = method == null ? "" : method.trim().toUpperCase(Locale.ROOT);
        return switch (override) {
            case "PATCH" -> patch(version, id, contentType, offset, contentLength, checksum, request);
            case "DELETE" -> terminate(version, id, request);
            default ->
                closingUnread(request, () -> {
                    throw new ApiException(
                            405,
                            "method_not_allowed",
                            "POST /uploads/{id} needs X-HTTP-Method-Override: PATCH or DELETE.",
                            java.util.Map.of("Allow", "OPTIONS, HEAD, PATCH, DELETE"));
                });
        };
    }

    /** tus: a request of another version (or none) is refused, before any of its body is read. */
    private static void requireVersion(String version) {
        if (!Tus.VERSION.equals(version)) {
            throw new ApiException(
                    412,
                    "tus_version_unsupported",
                    "This server speaks tus " + Tus.VERSION + ": send Tus-Resumable: " + Tus.VERSION + ".",
                    java.util.Map.of(Tus.TUS_VERSION, Tus.VERSION));
        }
    }

    /** A refusal that leaves the body unread also ends the connection: nothing else could follow on it. */
    private static Response closingUnread(HttpServerRequest request, Supplier<Response> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            if (!request.isEnded()) {
                request.response().putHeader("Connection", "close");
            }
            throw e;
        }
    }
}
