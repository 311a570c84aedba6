package io.reelhook.twelvelabs;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * Twelve Labs' v1.3 asset, multipart-upload and indexed-asset API, the JSON calls (uploads of bytes go through
 * {@link UpstreamSender}). Raw {@link Response}s, as for {@link TwelveLabsApi}.
 */
@RegisterRestClient(configKey = "twelvelabs")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@ClientHeaderParam(name = "x-api-key", value = "{io.reelhook.twelvelabs.TwelveLabsClient.apiKey}")
public interface AssetsApi {

    @GET
    @Path("/assets/{assetId}")
    Response getAsset(@PathParam("assetId") String assetId);

    @POST
    @Path("/assets/multipart-uploads")
    Response createMultipartUpload(JsonNode session);

    @POST
    @Path("/assets/multipart-uploads/{uploadId}")
    Response reportChunks(@PathParam("uploadId") String uploadId, JsonNode report);

    @POST
    @Path("/assets/multipart-uploads/{uploadId}/presigned-urls")
    Response presignedUrls(@PathParam("uploadId") String uploadId, JsonNode request);

    @GET
    @Path("/assets/multipart-uploads/{uploadId}")
    Response getMultipartUpload(@PathParam("uploadId") String uploadId);

    @GET
    @Path("/assets/multipart-uploads")
    Response listMultipartUploads(@QueryParam("page") Integer page, @QueryParam("page_limit") Integer pageLimit);

    @POST
    @Path("/indexes/{indexId}/indexed-assets")
    Response createIndexedAsset(@PathParam("indexId") String indexId, JsonNode request);

    @GET
    @Path("/indexes/{indexId}/indexed-assets/{id}")
    Response getIndexedAsset(@PathParam("indexId") String indexId, @PathParam("id") String id);
}
