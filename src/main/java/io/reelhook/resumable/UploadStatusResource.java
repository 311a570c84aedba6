package io.reelhook.resumable;

import io.reelhook.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** A resumable upload's state and outcome, as JSON (docs/resumable.md). */
@RolesAllowed(Roles.CLIENT)
@Path("/api/v1/uploads")
@Produces(MediaType.APPLICATION_JSON)
public class UploadStatusResource {

    private final TusService tus;

    UploadStatusResource(TusService tus) {
        this.tus = tus;
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Retrieve a resumable upload: offset, size, status and the asset it became")
    public UploadView get(@PathParam("id") String id) {
        return tus.view(id);
    }
}
