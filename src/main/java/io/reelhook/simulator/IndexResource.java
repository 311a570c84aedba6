package io.reelhook.simulator;

import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.Map;
import java.util.Optional;

import static io.reelhook.simulator.SimHttp.error;

/** Twelve Labs' {@code GET /indexes/{index_id}}, simulated: every index is known but the ones named unknown*. */
@PermitAll
@Path(SimulatorConfig.BASE_PATH + "/indexes/{indexId}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Twelve Labs simulator", description = "A stand-in for Twelve Labs' v1.3 task API (in memory)")
public class IndexResource {

    @Inject
    SimHttp http;

    @GET
    @Operation(summary = "Retrieve a simulated index")
    public Response get(@PathParam("indexId") String indexId) {
        Optional<Response> refused = http.refuse();
        if (refused.isPresent()) {
            return refused.get();
        }
        if (!SimAssets.knownIndex(indexId)) {
            return error(404, "resource_not_exist", "There is no index with id " + indexId + ".");
        }
        return Response.ok(Map.of("_id", indexId, "index_name", indexId)).build();
    }
}
