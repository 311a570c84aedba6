package io.reelhook.operations;

import io.reelhook.auth.Roles;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** One read of Reelhook's moving parts, for the console's operations panel and for anyone with a client key. */
@RolesAllowed(Roles.CLIENT)
@Path("/api/v1/operations")
@Produces(MediaType.APPLICATION_JSON)
public class OperationsResource {

    private final Operations operations;

    OperationsResource(Operations operations) {
        this.operations = operations;
    }

    @GET
    @Blocking
    @Operation(summary = "Upstream, outbox lag and leader, webhooks of the last hour, reconciliation, subscriptions")
    public Overview overview() {
        return operations.overview();
    }
}
