package io.reelhook.simulator;

import jakarta.annotation.security.PermitAll;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelhook.media.MediaInspector;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.multipart.FileItem;
import org.jboss.resteasy.reactive.server.multipart.FormValue;
import org.jboss.resteasy.reactive.server.multipart.MultipartFormDataInput;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
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

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Operation(summary = "Create a simulated video indexing task")
    public Response create(@HeaderParam("x-api-key") String apiKey, MultipartFormDataInput form) throws IOException {
        Optional<Response> refused = refuse(apiKey, config.chaos().slow());
        if (refused.isPresent()) {
            return refused.get();
        }
        Map<String, FormValue> fields = new HashMap<>();
        form.getValues().forEach((name, values) -> values.stream().findFirst()
                .ifPresent(value -> fields.put(name.toLowerCase(Locale.ROOT), value)));
        Optional<String> indexId = text(fields.get("index_id"));
        FormValue file = fields.get("video_file");
        Optional<String> url = text(fields.get("video_url"));
        if (indexId.isEmpty()) {
            return error(400, "parameter_not_provided", "The index_id parameter is required.");
        }
        if ((file == null) == url.isEmpty()) {
            return file == null
                    ? error(400, "parameter_not_provided", "Either video_file or video_url is required.")
                    : error(400, "parameter_invalid", "Give video_file or video_url, not both.");
        }
        JsonNode userMetadata;
        Chaos chaos;
        try {
            userMetadata = userMetadata(text(fields.get("user_metadata")));
            chaos = Chaos.of(userMetadata, config.chaos());
        } catch (IllegalArgumentException e) {
            return error(400, "parameter_invalid", e.getMessage());
        }
        sleep(chaos.slow());
        SimTask task;
        if (file != null) {
            if (!file.isFileItem()) {
                return error(400, "parameter_invalid", "video_file must be a file.");
            }
            FileItem item = file.getFileItem();
            Optional<Response> tooLarge = inspector.checkSize(item.getFileSize())
                    .map(problem -> error(400, problem.code(), problem.message()));
            if (tooLarge.isPresent()) {
                return tooLarge.get();
            }
            task = createFromFile(indexId.get(), file, userMetadata, chaos);
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
        return Response.ok(Map.of("_id", task.id, "video_id", task.videoId)).build();
    }

    @GET
    @Path("/{taskId}")
    @Operation(summary = "Retrieve a simulated task")
    public Response get(@HeaderParam("x-api-key") String apiKey, @PathParam("taskId") String taskId) {
        Optional<Response> refused = refuse(apiKey, config.chaos().slow());
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
    public Response list(@HeaderParam("x-api-key") String apiKey,
            @QueryParam("page") @DefaultValue("1") int page,
            @QueryParam("page_limit") @DefaultValue("10") int pageLimit,
            @QueryParam("index_id") String indexId,
            @QueryParam("status") List<String> statuses,
            @QueryParam("filename") String filename,
            @QueryParam("sort_by") @DefaultValue("created_at") String sortBy,
            @QueryParam("sort_option") @DefaultValue("desc") String sortOption) {
        Optional<Response> refused = refuse(apiKey, config.chaos().slow());
        if (refused.isPresent()) {
            return refused.get();
        }
        if (page < 1 || pageLimit < 1 || pageLimit > MAX_PAGE_LIMIT) {
            return error(400, "parameter_invalid", "page must be at least 1 and page_limit between 1 and 50.");
        }
        if (!List.of("created_at", "updated_at").contains(sortBy) || !List.of("asc", "desc").contains(sortOption)) {
            return error(400, "parameter_invalid", "sort_by is created_at or updated_at; sort_option is asc or desc.");
        }
        Comparator<SimTask.View> order = Comparator.comparing((SimTask.View view) ->
                Instant.parse("created_at".equals(sortBy) ? view.createdAt() : view.updatedAt()));
        List<SimTask.View> matching = simulator.all().stream().map(SimTask::view)
                .filter(view -> indexId == null || indexId.equals(view.indexId()))
                .filter(view -> statuses.isEmpty() || statuses.contains(view.status()))
                .filter(view -> filename == null || filename.equals(view.systemMetadata().filename()))
                .sorted("asc".equals(sortOption) ? order : order.reversed())
                .toList();
        List<SimTask.View> data = matching.stream().skip((long) (page - 1) * pageLimit).limit(pageLimit).toList();
        return Response.ok(Map.of("data", data, "page_info", Map.of(
                "page", page,
                "limit_per_page", pageLimit,
                "total_page", (matching.size() + pageLimit - 1) / pageLimit,
                "total_results", matching.size()))).build();
    }

    private SimTask createFromFile(String indexId, FormValue file, JsonNode userMetadata, Chaos chaos)
            throws IOException {
        FileItem item = file.getFileItem();
        if (!item.isInMemory()) {
            return simulator.create(indexId, file.getFileName(), item.getFile(), userMetadata, chaos);
        }
        java.nio.file.Path copy = Files.createTempFile("reelhook-simulator-", ".video");
        try {
            item.write(copy);
            return simulator.create(indexId, file.getFileName(), copy, userMetadata, chaos);
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    /** The disabled simulator, a wrong key and global chaos answer before anything else. */
    private Optional<Response> refuse(String apiKey, Duration slow) {
        if (!config.on()) {
            return Optional.of(error(404, "resource_not_exist",
                    "The Twelve Labs simulator is off (reelhook.simulator.enabled=false)."));
        }
        if (apiKey == null || apiKey.isBlank() || config.apiKey().filter(key -> !key.equals(apiKey)).isPresent()) {
            return Optional.of(error(401, "api_key_invalid", "The x-api-key header is missing or not valid."));
        }
        sleep(slow);
        int refusal = simulator.refusal();
        return refusal == 0 ? Optional.empty() : Optional.of(chaos(refusal));
    }

    private Response chaos(int status) {
        return status == 429
                ? Response.fromResponse(error(429, "too_many_requests", "Rate limit exceeded (simulated)."))
                        .header("Retry-After", config.chaos().retryAfter()).build()
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

    private static Optional<String> text(FormValue value) {
        return value == null || value.isFileItem() || value.getValue() == null || value.getValue().isBlank()
                ? Optional.empty() : Optional.of(value.getValue().trim());
    }

    private static Response error(int status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new SimError(code, message)).build();
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
    record SimError(String code, String message) {
    }
}
