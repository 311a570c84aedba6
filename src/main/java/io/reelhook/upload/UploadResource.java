package io.reelhook.upload;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.reelhook.api.ApiException;
import io.reelhook.auth.Roles;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.jboss.logging.Logger;

import java.io.IOException;

/** Twelve Labs-compatible {@code POST /v1.3/tasks}: checks the video, forwards it, records the task. */
@Path("/v1.3/tasks")
public class UploadResource {

    private static final Logger LOG = Logger.getLogger(UploadResource.class);

    @Inject
    UploadService uploads;

    @Inject
    MeterRegistry registry;

    void removeLeftovers(@Observes StartupEvent start) throws IOException {
        int removed = Spool.removeLeftovers(uploads.spoolDirectory());
        if (removed > 0) {
            LOG.infof(
                    "removed %d spooled upload(s) left behind in %s by an earlier process",
                    removed, uploads.spoolDirectory());
        }
    }

    @POST
    @RolesAllowed(Roles.CLIENT)
    @Blocking
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Upload a video for indexing", description = "Twelve Labs' POST /tasks, forwarded.")
    @RequestBody(
            content =
                    @Content(mediaType = MediaType.MULTIPART_FORM_DATA, schema = @Schema(implementation = Form.class)))
    public Response create(
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long length,
            @Context HttpServerRequest request) {
        try {
            Response created = uploads.create(contentType, length, request);
            registry.counter("reelhook.uploads", "outcome", "accepted").increment();
            return created;
        } catch (ApiException e) {
            registry.counter("reelhook.uploads", "outcome", e.code()).increment();
            throw e;
        }
    }

    /** The form as Twelve Labs documents it, for the OpenAPI document: the resource reads the body itself. */
    @Schema(name = "TaskUploadForm")
    static final class Form {
        @Schema(description = "Falls back to TWELVELABS_INDEX_ID")
        public String index_id;

        @Schema(type = SchemaType.STRING, format = "binary", description = "The video; or send video_url")
        public String video_file;

        public String video_url;
        public String language;
        public Boolean enable_video_stream;

        @Schema(description = "A JSON object, kept with the task")
        public String user_metadata;
    }
}
