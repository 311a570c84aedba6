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
import org.eclipse.microprofile.config.ConfigProvider;
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
@ClientHeaderParam(name = "x-api-key", value = "{apiKey}")
public interface TwelveLabsApi {

    /** {@code body} is multipart/form-data, encoded by {@link TwelveLabsClient} so that it can stream. */
    @POST
    Response createTask(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body);

    @GET
    @Path("/{taskId}")
    Response getTask(@PathParam("taskId") String taskId);

    default String apiKey() {
        return ConfigProvider.getConfig().getOptionalValue("twelvelabs.api-key", String.class).orElse("");
    }
}
