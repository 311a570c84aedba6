package io.reelhook.assets;

import com.fasterxml.jackson.databind.JsonNode;
import io.reelhook.api.QueryParams;
import io.reelhook.auth.Roles;
import io.reelhook.twelvelabs.MultipartUploads;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Twelve Labs' multipart upload (docs/assets.md). A session's state lives where its bytes go, at Twelve Labs' storage,
 * which Reelhook never sees: reads of a session are Twelve Labs' answer, passed on.
 */
@RolesAllowed(Roles.CLIENT)
@Path("/v1.3/assets/multipart-uploads")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Blocking
public class MultipartUploadResource {

    private final MultipartSessions sessions;
    private final MultipartUploads twelveLabs;

    MultipartUploadResource(MultipartSessions sessions, MultipartUploads twelveLabs) {
        this.sessions = sessions;
        this.twelveLabs = twelveLabs;
    }

    @POST
    @Operation(summary = "Create a multipart upload session")
    public Response create(JsonNode request) {
        return Response.status(201).entity(sessions.create(request)).build();
    }

    @POST
    @Path("/{uploadId}")
    @Operation(summary = "Report uploaded chunks")
    public JsonNode report(@PathParam("uploadId") String uploadId, JsonNode report) {
        return sessions.report(QueryParams.text("upload_id", uploadId), report);
    }

    @POST
    @Path("/{uploadId}/presigned-urls")
    @Operation(summary = "Request more presigned URLs")
    public JsonNode presignedUrls(@PathParam("uploadId") String uploadId, JsonNode request) {
        return twelveLabs.presignedUrls(QueryParams.text("upload_id", uploadId), request);
    }

    @GET
    @Path("/{uploadId}")
    @Operation(summary = "Retrieve a multipart upload session's status")
    public JsonNode get(
            @PathParam("uploadId") String uploadId,
            @QueryParam("page") String page,
            @QueryParam("page_limit") String pageLimit) {
        return twelveLabs.status(
                QueryParams.text("upload_id", uploadId),
                page == null ? null : AssetPage.page(page, pageLimit),
                pageLimit == null ? null : AssetPage.limit(pageLimit));
    }

    @GET
    @Operation(summary = "List multipart upload sessions")
    public JsonNode list(@QueryParam("page") String page, @QueryParam("page_limit") String pageLimit) {
        // only what the client asked for goes on: Twelve Labs' own defaults hold otherwise
        return twelveLabs.list(
                page == null ? null : AssetPage.page(page, pageLimit),
                pageLimit == null ? null : AssetPage.limit(pageLimit));
    }
}
