package io.reelhook.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Twelve Labs' v1.3 task API, simulated: {@code POST /tasks}, {@code GET /tasks/{id}}, {@code GET /tasks}. */
@PermitAll
@Path(SimulatorConfig.BASE_PATH + "/tasks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Twelve Labs simulator", description = "A stand-in for Twelve Labs' v1.3 task API (in memory)")
public class SimulatorResource {

    private static final int MAX_PAGE_LIMIT = 50;

    @Inject
    Simulator simulator;

    @Inject
    SimulatorConfig config;

    @Inject
    MediaInspector inspector;

    @Inject
    ObjectMapper json;

    @Inject
    SimulatorGuard guard;

    @POST
    @Blocking
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Create a simulated video indexing task")
    @RequestBody(
            content = @Content(mediaType = MediaType.MULTIPART_FORM_DATA, schema = @Schema(type = SchemaType.OBJECT)))
    public Response create(@Context RoutingContext request) throws IOException {
        // SimulatorGuard has checked the switch, the key and the declared length; the body is read only now
        Optional<Response> refused = refuse(config.chaos().slow());
        if (refused.isPresent()) {
            return refused.get();
        }
        try (SimForm form = SimForm.read(request.request(), guard.maxBody())) {
            return create(form);
        } catch (SimForm.TooLargeException e) {
            SimulatorGuard.closeAfter(request);
            return error(413, "video_filesize_too_large", "The request is longer than " + guard.maxBody() + " bytes.");
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
            userMetadata = userMetadata(text(form.fields.get("user_metadata")));
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
                videoUrl = URI.create(url.get());
            } catch (IllegalArgumentException e) {
                return error(400, "parameter_invalid", "video_url is not a URL.");
            }
            if (!"http".equals(videoUrl.getScheme()) && !"https".equals(videoUrl.getScheme())) {
                return error(400, "parameter_invalid", "video_url must be an http or https URL.");
            }
            task = simulator.create(indexId.get(), videoUrl, userMetadata, chaos);
        }
        if (task.isEmpty()) {
            return Response.fromResponse(error(
                            429,
                            "too_many_requests",
                            "The simulator holds " + config.maxTasks()
                                    + " unfinished tasks; retry once some have finished."))
                    .header("Retry-After", 1)
                    .build();
        }
        return Response.ok(Map.of("_id", task.get().id, "video_id", task.get().videoId))
                .build();
    }

    @GET
    @Path("/{taskId}")
    @Operation(summary = "Retrieve a simulated task")
    public Response get(@PathParam("taskId") String taskId) {
        Optional<Response> refused = refuse(config.chaos().slow());
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
        return refusal == 0 ? Response.ok(task.view()).build() : chaos(refusal);
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
        Optional<Response> refused = refuse(config.chaos().slow());
        if (refused.isPresent()) {
            return refused.get();
        }
        if (page < 1 || pageLimit < 1 || pageLimit > MAX_PAGE_LIMIT) {
            return error(400, "parameter_invalid", "page must be at least 1 and page_limit between 1 and 50.");
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
        List<SimTask.View> data = matching.stream()
                .skip((long) (page - 1) * pageLimit)
                .limit(pageLimit)
                .toList();
        return Response.ok(Map.of(
                        "data",
                        data,
                        "page_info",
                        Map.of(
                                "page",
                                page,
                                "limit_per_page",
                                pageLimit,
                                "total_page",
                                (matching.size() + pageLimit - 1) / pageLimit,
                                "total_results",
                                matching.size())))
                .build();
    }

    /** Global chaos answers before anything else (the switch and the key are {@link SimulatorGuard}'s). */
    private Optional<Response> refuse(Duration slow) {
        sleep(slow);
        int refusal = simulator.refusal();
        return refusal == 0 ? Optional.empty() : Optional.of(chaos(refusal));
    }

    private Response chaos(int status) {
        return status == 429
                ? Response.fromResponse(error(429, "too_many_requests", "Rate limit exceeded (simulated)."))
                        .header("Retry-After", config.chaos().retryAfter())
                        .build()
                : error(500, "internal_server_error", "Something went wrong (simulated).");
    }

    private JsonNode userMetadata(Optional<String> text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            JsonNode parsed = json.readTree(text.get());
            if (parsed == null || !parsed.isObject()) {
                throw new IllegalArgumentException("user_metadata must be a JSON object.");
            }
            return parsed;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("user_metadata must be a JSON object.");
        }
    }

    private static Optional<String> text(String value) {
        return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    private static Response error(int status, String code, String message) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(new SimError(code, message))
                .build();
    }

    private static void sleep(Duration slow) {
        if (slow.toMillis() > 0) {
            try {
                Thread.sleep(slow.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Twelve Labs' error body. */
    record SimError(String code, String message) {}
}
