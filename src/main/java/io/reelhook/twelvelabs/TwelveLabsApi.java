package io.reelhook.twelvelabs;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import java.io.InputStream;

/**
 * Twelve Labs' v1.3 task API. Answers are raw {@link Response}s (the default error mapper is off) so that
 * {@link TwelveLabsClient} can pass Twelve Labs' status, code and Retry-After on unchanged.
 */
@RegisterRestClient(configKey = "twelvelabs")
@Path("/tasks")
@Produces(MediaType.APPLICATION_JSON)
@ClientHeaderParam(name = "x-api-key", value = "{io.reelhook.twelvelabs.TwelveLabsClient.apiKey}")
public interface TwelveLabsApi {

    @GET
    @Path("/{taskId}")
    Response getTask(@PathParam("taskId") String taskId);

    /**
     * {@code POST /tasks} on a client of its own: an upload's request lasts as long as the video takes to arrive,
     * and Vert.x counts the read timeout from the start of the request, not from its end.
     */
    @RegisterRestClient(configKey = "twelvelabs-uploads")
    @Path("/tasks")
    @Produces(MediaType.APPLICATION_JSON)
    @ClientHeaderParam(name = "x-api-key", value = "{io.reelhook.twelvelabs.TwelveLabsClient.apiKey}")
    interface Uploads {

        /** {@code body} is multipart/form-data, encoded by {@link TwelveLabsClient} so that it can stream. */
        @POST
        Response createTask(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body);
    }
}
