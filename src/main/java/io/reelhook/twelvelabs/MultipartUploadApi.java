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
 * Twelve Labs' v1.3 multipart upload API (the JSON calls; the chunks themselves go to presigned URLs). Bodies are
 * JSON trees, so that a client's request and Twelve Labs' answer pass through Reelhook unchanged; answers are raw
 * {@link Response}s, as in {@link TwelveLabsApi}, so that {@link MultipartUploads} passes errors on unchanged.
 */
@RegisterRestClient(configKey = "twelvelabs")
@Path("/assets/multipart-uploads")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@ClientHeaderParam(name = "x-api-key", value = "{io.reelhook.twelvelabs.TwelveLabsClient.apiKey}")
public interface MultipartUploadApi {

    @POST
    Response create(JsonNode request);

    @POST
    @Path("/{uploadId}")
    Response report(@PathParam("uploadId") String uploadId, JsonNode request);

    @POST
    @Path("/{uploadId}/presigned-urls")
    Response presignedUrls(@PathParam("uploadId") String uploadId, JsonNode request);

    @GET
    @Path("/{uploadId}")
    Response status(
            @PathParam("uploadId") String uploadId,
            @QueryParam("page") Integer page,
            @QueryParam("page_limit") Integer pageLimit);

    @GET
    Response list(@QueryParam("page") Integer page, @QueryParam("page_limit") Integer pageLimit);
}
