package io.reelhook.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.reelhook.simulator.SimHttp.error;

/**
 * Twelve Labs' v1.3 indexed assets, simulated: a ready asset indexed into an index. The simulator knows every index
 * but those whose id begins with {@code unknown} ({@link SimAssets#UNKNOWN_INDEX}).
 */
@PermitAll
@Path(SimulatorConfig.BASE_PATH + "/indexes/{indexId}/indexed-assets")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Twelve Labs simulator", description = "A stand-in for Twelve Labs' v1.3 task API (in memory)")
public class IndexedAssetResource {

    @Inject
    SimAssets assets;

    @Inject
    SimulatorConfig config;

    @Inject
    SimHttp http;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Index a ready simulated asset")
    public Response create(@PathParam("indexId") String indexId, JsonNode body) {
        Optional<Response> refused = refuse(indexId);
        if (refused.isPresent()) {
            return refused.get();
        }
        JsonNode in = body == null ? MissingNode.getInstance() : body;
        String assetId = in.path("asset_id").asText("");
        if (assetId.isBlank()) {
            return error(400, "parameter_not_provided", "The asset_id parameter is required.");
        }
        Optional<SimAsset> asset = assets.find(assetId);
        if (asset.isEmpty()) {
            return error(400, "parameter_invalid", "There is no asset with id " + assetId + ".");
        }
        if (!"ready".equals(asset.get().status())) {
            return error(
                    400,
                    "parameter_invalid",
                    "The asset " + assetId + " is " + asset.get().status() + "; only a ready asset can be indexed.");
        }
        JsonNode userMetadata;
        Chaos chaos;
        try {
            userMetadata = SimHttp.userMetadata(in.get("user_metadata"));
            chaos = Chaos.of(userMetadata, config);
        } catch (IllegalArgumentException e) {
            return error(400, "parameter_invalid", e.getMessage());
        }
        SimHttp.sleep(chaos.slow());
        return assets.index(indexId, asset.get(), userMetadata, chaos)
                .map(created -> Response.status(202)
                        .entity(Map.of("_id", created.id, "asset_id", created.assetId))
                        .build())
                .orElseGet(() -> SimHttp.full("indexed assets", config.maxAssets()));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Retrieve a simulated indexed asset")
    public Response get(@PathParam("indexId") String indexId, @PathParam("id") String id) {
        Optional<Response> refused = refuse(indexId);
        if (refused.isPresent()) {
            return refused.get();
        }
        Optional<SimIndexedAsset> found = assets.findIndexed(indexId, id);
        if (found.isEmpty()) {
            return notFound(id);
        }
        SimHttp.sleep(found.get().chaos.slow());
        int refusal = found.get().refusal();
        return refusal == 0 ? Response.ok(found.get().view()).build() : http.chaos(refusal);
    }

    @GET
    @Operation(summary = "List the simulated indexed assets of an index, newest first")
    public Response list(
            @PathParam("indexId") String indexId,
            @QueryParam("page") @DefaultValue("1") int page,
            @QueryParam("page_limit") @DefaultValue("10") int pageLimit,
            @QueryParam("status") List<String> statuses) {
        Optional<Response> refused = refuse(indexId);
        if (refused.isPresent()) {
            return refused.get();
        }
        Response badPage = SimHttp.badPage(page, pageLimit);
        if (badPage != null) {
            return badPage;
        }
        List<SimIndexedAsset.View> matching = assets.allIndexed(indexId).stream()
                .map(SimIndexedAsset::view)
                .filter(view -> statuses.isEmpty() || statuses.contains(view.status()))
                .toList();
        return Response.ok(SimHttp.page(matching, page, pageLimit)).build();
    }

    @DELETE
    @Path("/{id}")
    @Operation(summary = "Delete a simulated indexed asset")
    public Response delete(@PathParam("indexId") String indexId, @PathParam("id") String id) {
        Optional<Response> refused = refuse(indexId);
        if (refused.isPresent()) {
            return refused.get();
        }
        return assets.deleteIndexed(indexId, id) ? Response.noContent().build() : notFound(id);
    }

    /** Global chaos, then an index the simulator does not know. */
    private Optional<Response> refuse(String indexId) {
        Optional<Response> refused = http.refuse();
        if (refused.isPresent() || SimAssets.knownIndex(indexId)) {
            return refused;
        }
        return Optional.of(error(404, "resource_not_exist", "There is no index with id " + indexId + "."));
    }

    private static Response notFound(String id) {
        return error(404, "resource_not_exist", "There is no indexed asset with id " + id + ".");
    }
}
