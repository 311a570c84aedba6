package io.reelhook.twelvelabs;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

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

    /** Twelve Labs' task list, newest first when asked: how a lost answer to an upload is looked for. */
    @GET
    Response listTasks(
            @QueryParam("index_id") String indexId,
            @QueryParam("filename") String filename,
            @QueryParam("sort_by") String sortBy,
            @QueryParam("sort_option") String sortOption,
            @QueryParam("page_limit") int pageLimit);
}
