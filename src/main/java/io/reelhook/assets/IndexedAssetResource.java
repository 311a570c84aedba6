package io.reelhook.assets;

import com.fasterxml.jackson.databind.JsonNode;
import io.reelhook.api.ApiException;
import io.reelhook.api.QueryParams;
import io.reelhook.auth.Roles;
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

/** Twelve Labs' {@code /indexes/{index_id}/indexed-assets} (docs/assets.md): reads come from Reelhook's database. */
@RolesAllowed(Roles.CLIENT)
@Path("/v1.3/indexes/{indexId}/indexed-assets")
@Produces(MediaType.APPLICATION_JSON)
public class IndexedAssetResource {

    private final IndexedAssets indexing;
    private final AssetStore store;

    IndexedAssetResource(IndexedAssets indexing, AssetStore store) {
        this.indexing = indexing;
        this.store = store;
    }

    @POST
    @Blocking
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Index an asset that is ready")
    public Response create(@PathParam("indexId") String indexId, JsonNode request) {
        if (request == null || !request.isObject()) {
            throw ApiException.invalid("body", "it must be a JSON object.");
        }
        if (!request.path("asset_id").isTextual()) {
            throw ApiException.notProvided("asset_id");
        }
        return Response.status(202)
                .entity(indexing.create(QueryParams.text("index_id", indexId), request))
                .build();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Retrieve an indexed asset")
    public JsonNode get(@PathParam("indexId") String indexId, @PathParam("id") String id) {
        return store.indexedAsset(QueryParams.text("index_id", indexId), QueryParams.text("indexed_asset_id", id))
                .orElseThrow(() -> AssetResource.notFound("indexed asset", id));
    }

    @GET
    @Operation(summary = "List an index's indexed assets, newest first")
    public AssetPage list(
            @PathParam("indexId") String indexId,
            @QueryParam("page") String page,
            @QueryParam("page_limit") String pageLimit) {
        return AssetPage.of(store.indexedAssets(
                QueryParams.text("index_id", indexId), AssetPage.page(page, pageLimit), AssetPage.limit(pageLimit)));
    }
}
