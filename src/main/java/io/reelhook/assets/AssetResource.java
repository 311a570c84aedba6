package io.reelhook.assets;

import com.fasterxml.jackson.databind.JsonNode;
import io.reelhook.api.ApiException;
import io.reelhook.api.QueryParams;
import io.reelhook.auth.Roles;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import java.util.List;

/** Twelve Labs' {@code /assets} (docs/assets.md): uploads go through Reelhook, reads come from its database. */
@RolesAllowed(Roles.CLIENT)
@Path("/v1.3/assets")
@Produces(MediaType.APPLICATION_JSON)
public class AssetResource {

    private final AssetUploads uploads;
    private final AssetStore store;

    AssetResource(AssetUploads uploads, AssetStore store) {
        this.uploads = uploads;
        this.store = store;
    }

    @POST
    @Blocking
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Upload an asset (method direct with a file, or url)")
    public Response create(
            @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long length,
            @Context HttpServerRequest request) {
        JsonNode asset = uploads.create(contentType, length, request);
        return Response.status(201).entity(asset).build();
    }

    @GET
    @Path("/{assetId}")
    @Operation(summary = "Retrieve an asset")
    public JsonNode get(@PathParam("assetId") String assetId) {
        return store.asset(QueryParams.text("asset_id", assetId)).orElseThrow(() -> notFound("asset", assetId));
    }

    @GET
    @Operation(summary = "List assets, newest first")
    public AssetPage list(
            @QueryParam("page") String page,
            @QueryParam("page_limit") String pageLimit,
            @QueryParam("status") String status,
            @QueryParam("filename") String filename,
            @Parameter(description = "Reelhook's: the index the asset is to be indexed into once ready")
                    @QueryParam("index_id")
                    String indexId) {
        return AssetPage.of(store.assets(
                AssetPage.page(page, pageLimit),
                AssetPage.limit(pageLimit),
                status == null ? null : QueryParams.oneOf("status", status, List.of("processing", "ready", "failed")),
                QueryParams.text("filename", filename),
                QueryParams.text("index_id", indexId)));
    }

    static ApiException notFound(String kind, String id) {
        return new ApiException(
                404, "resource_not_exist", "There is no " + kind + " with id " + QueryParams.text("id", id) + ".");
    }
}
