package io.reelhook.assets;

import io.reelhook.api.QueryParams;
import io.reelhook.auth.Roles;
import io.reelhook.task.EventMessage;
import io.reelhook.task.EventStore;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;

/** An asset's event history: its own events and its indexed assets', as the stream and Kafka carry them. */
@RolesAllowed(Roles.CLIENT)
@Path("/api/v1/assets/{asset_id}/events")
@Produces(MediaType.APPLICATION_JSON)
public class AssetEventsResource {

    private final EventStore store;

    AssetEventsResource(EventStore store) {
        this.store = store;
    }

    @GET
    @Blocking
    @Operation(summary = "An asset's events, oldest first")
    public List<EventMessage> history(@PathParam("asset_id") String assetId) {
        return store.ofAsset(QueryParams.text("asset_id", assetId))
                .orElseThrow(() -> AssetResource.notFound("asset", assetId));
    }
}
