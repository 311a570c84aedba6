package io.reelhook.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.reelhook.media.MediaInspector;
import io.smallrye.common.annotation.Blocking;
import io.vertx.ext.web.RoutingContext;
import jakarta.annotation.security.PermitAll;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.reelhook.simulator.SimHttp.error;
import static io.reelhook.simulator.SimHttp.sleep;
import static io.reelhook.simulator.SimHttp.text;

/** Twelve Labs' v1.3 task API, simulated: {@code POST /tasks}, {@code GET /tasks/{id}}, {@code GET /tasks}. */
@PermitAll
@Path(SimulatorConfig.BASE_PATH + "/tasks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Twelve Labs simulator", description = "A stand-in for Twelve Labs' v1.3 task API (in memory)")
public class SimulatorResource {

    @Inject
    Simulator simulator;

    @Inject
    SimulatorConfig config;

    @Inject
    MediaInspector inspector;

    @Inject
    SimulatorGuard guard;

    @Inject
    SimHttp http;

    @POST
    @Blocking
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Create a simulated video indexing task")
    @RequestBody(
            content = @Content(mediaType = MediaType.MULTIPART_FORM_DATA, schema = @Schema(type = SchemaType.OBJECT)))
    public Response create(@Context RoutingContext request) throws IOException {
        // SimulatorGuard has checked the switch, the key and the declared length; the body is read only now
        Optional<Response> refused = http.refuse();
        if (refused.isPresent()) {
            return refused.get();
        }
        try (SimForm form = SimForm.read(request.request(), guard.maxBody(SimulatorResource.class), "video_file")) {
            return create(form);
        } catch (SimForm.TooLargeException e) {
            SimulatorGuard.closeAfter(request);
            return error(
                    413,
                    "video_filesize_too_large",
                    "The request is longer than " + guard.maxBody(SimulatorResource.class) + " bytes.");
        } catch (IOException e) {
            SimulatorGuard.closeAfter(request);
            return error(400, "parameter_invalid", "The multipart body could not be read.");
        }
    }

    private Response create(SimForm form) throws IOException {
        Optional<String> indexId = text(form.fields.get("index_id"));
        Optional<String> url = text(form.fields.get("video_url"));
        if (indexId.isEmpty()) {
            return error(400, "parameter_not_provided", "The index_id parameter is required.");
        }
        if (form.fields.containsKey("video_file")) {
            return error(400, "parameter_invalid", "video_file must be a file.");
        }
        Optional<java.nio.file.Path> file = form.video();
        if (file.isEmpty() == url.isEmpty()) {
            return file.isEmpty()
                    ? error(400, "parameter_not_provided", "Either video_file or video_url is required.")
                    : error(400, "parameter_invalid", "Give video_file or video_url, not both.");
        }
        JsonNode userMetadata;
        Chaos chaos;
        try {
            userMetadata = http.userMetadata(text(form.fields.get("user_metadata")));
            chaos = Chaos.of(userMetadata, config);
        } catch (IllegalArgumentException e) {
            return error(400, "parameter_invalid", e.getMessage());
        }
        sleep(chaos.slow());
        Optional<SimTask> task;
        if (file.isPresent()) {
            Optional<Response> tooLarge = inspector
                    .checkSize(Files.size(file.get()))
                    .map(problem -> error(400, problem.code(), problem.message()));
            if (tooLarge.isPresent()) {
                return tooLarge.get();
            }
            task = simulator.create(indexId.get(), form.filename(), file.get(), userMetadata, chaos);
        } else {
            URI videoUrl;
            try {
                videoUrl = SimHttp.httpUrl(url.get(), "video_url");
            } catch (IllegalArgumentException e) {
                return error(400, "parameter_invalid", e.getMessage());
            }
            task = simulator.create(indexId.get(), videoUrl, userMetadata, chaos);
        }
        if (task.isEmpty()) {
            return SimHttp.full("tasks", config.maxTasks());
        }
        return Response.ok(Map.of("_id", task.get().id, "video_id", task.get().videoId))
                .build();
    }

    @GET
    @Path("/{taskId}")
    @Operation(summary = "Retrieve a simulated task")
    public Response get(@PathParam("taskId") String taskId) {
        Optional<Response> refused = http.refuse();
        if (refused.isPresent()) {
            return refused.get();
        }
        Optional<SimTask> found = simulator.find(taskId);
        if (found.isEmpty()) {
            return error(404, "resource_not_exist", "There is no task with id " + taskId + ".");
        }
        SimTask task = found.get();
        sleep(task.chaos.slow());
        int refusal = task.refusal();
        return refusal == 0 ? Response.ok(task.view()).build() : http.chaos(refusal);
    }

    @GET
    @Operation(summary = "List simulated tasks")
    public Response list(
            @QueryParam("page") @DefaultValue("1") int page,
            @QueryParam("page_limit") @DefaultValue("10") int pageLimit,
            @QueryParam("index_id") String indexId,
            @QueryParam("status") List<String> statuses,
            @QueryParam("filename") String filename,
            @QueryParam("sort_by") @DefaultValue("created_at") String sortBy,
            @QueryParam("sort_option") @DefaultValue("desc") String sortOption) {
        Optional<Response> refused = http.refuse();
        if (refused.isPresent()) {
            return refused.get();
        }
        Response badPage = SimHttp.badPage(page, pageLimit);
        if (badPage != null) {
            return badPage;
        }
        if (!List.of("created_at", "updated_at").contains(sortBy)
                || !List.of("asc", "desc").contains(sortOption)) {
            return error(400, "parameter_invalid", "sort_by is created_at or updated_at; sort_option is asc or desc.");
        }
        Comparator<SimTask.View> order = Comparator.comparing((SimTask.View view) ->
                Instant.parse("created_at".equals(sortBy) ? view.createdAt() : view.updatedAt()));
        List<SimTask.View> matching = simulator.all().stream()
                .map(SimTask::view)
                .filter(view -> indexId == null || indexId.equals(view.indexId()))
                .filter(view -> statuses.isEmpty() || statuses.contains(view.status()))
                .filter(view -> filename == null
                        || filename.equals(view.systemMetadata().filename()))
                .sorted("asc".equals(sortOption) ? order : order.reversed())
                .toList();
        return Response.ok(SimHttp.page(matching, page, pageLimit)).build();
    }

    /** Twelve Labs' error body. */
    record SimError(String code, String message) {}
}
