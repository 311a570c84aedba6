package io.reelhook.twelvelabs;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * Twelve Labs' v1.3 asset and indexed-asset API, the JSON calls (uploads of bytes go through {@link UpstreamSender},
 * multipart sessions through {@link MultipartUploadApi}). Raw {@link Response}s, as for {@link TwelveLabsApi}.
 */
@RegisterRestClient(configKey = "twelvelabs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@ClientHeaderParam(name = "x-api-key", value = "{io.reelhook.twelvelabs.TwelveLabsClient.apiKey}")
public interface AssetsApi {

    @GET
    @Path("/assets/{assetId}")
    Response getAsset(@PathParam("assetId") String assetId);

    @GET
    @Path("/indexes/{indexId}")
    Response getIndex(@PathParam("indexId") String indexId);

    @POST
    @Path("/indexes/{indexId}/indexed-assets")
    Response createIndexedAsset(@PathParam("indexId") String indexId, JsonNode request);

    @GET
    @Path("/indexes/{indexId}/indexed-assets/{id}")
    Response getIndexedAsset(@PathParam("indexId") String indexId, @PathParam("id") String id);
}
