package io.reelhook.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
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
import jakarta.ws.rs.core.UriInfo;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import static io.reelhook.simulator.SimHttp.error;

/**
 * Twelve Labs' v1.3 multipart uploads, simulated: a session, presigned chunk URLs on the simulator's own storage
 * ({@link ChunkStorageResource}), reports of uploaded chunks, the session's status and the incomplete sessions.
 */
@PermitAll
@Path(SimulatorConfig.BASE_PATH + "/assets/multipart-uploads")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Twelve Labs simulator", description = "A stand-in for Twelve Labs' v1.3 task API (in memory)")
public class MultipartUploadResource {

    private static final int MAX_URLS = 50;

    @Inject
    SimUploads uploads;

    @Inject
    SimulatorConfig config;

    @Inject
    SimHttp http;

    @POST
    @Operation(summary = "Create a simulated multipart upload session")
    public Response create(JsonNode body, @Context UriInfo uri) {
        Optional<Response> refused = http.refuse();
        if (refused.isPresent()) {
            return refused.get();
        }
        UploadRequest asked;
        try {
            asked = UploadRequest.parse(body, config);
        } catch (UploadRequest.Refused e) {
            return error(400, e.code, e.getMessage());
        }
        SimHttp.sleep(asked.chaos().slow());
        Optional<SimUpload> created = uploads.create(asked);
        if (created.isEmpty()) {
            return SimHttp.full("upload sessions or assets", config.maxAssets());
        }
        SimUpload upload = created.get();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("upload_id", upload.id);
        answer.put("asset_id", upload.asset.id);
        answer.put("upload_urls", urls(upload, 1, Math.min(config.initialUrls(), upload.totalChunks), uri));
        answer.put("upload_headers", Map.of());
        answer.put("chunk_size", upload.chunkSize);
        answer.put("total_chunks", upload.totalChunks);
        answer.put("expires_at", upload.expiresAt.toString());
        return Response.status(201).entity(answer).build();
    }

    @POST
    @Path("/{uploadId}")
    @Operation(summary = "Report uploaded chunks of a simulated multipart upload")
    public Response report(@PathParam("uploadId") String uploadId, JsonNode body, @Context UriInfo uri) {
        Optional<Response> refused = http.refuse();
        if (refused.isPresent()) {
            return refused.get();
        }
        Optional<SimUpload> found = uploads.find(uploadId);
        if (found.isEmpty()) {
            return notFound(uploadId);
        }
        SimUpload upload = found.get();
        if ("expired".equals(upload.status())) {
            return error(400, "parameter_invalid", "The upload session " + uploadId + " has expired.");
        }
        List<SimUpload.Reported> reported;
        try {
            reported = UploadRequest.reported(body);
        } catch (UploadRequest.Refused e) {
            return error(400, e.code, e.getMessage());
        }
        SimUpload.Report report = uploads.report(upload, reported);
        if (!report.refused().isEmpty()) {
            return error(
                    400,
                    "parameter_invalid",
                    "Refused (the others are recorded): " + String.join(" ", report.refused()));
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        if ("completed".equals(upload.status())) {
            answer.put(
                    "url",
                    uri.getBaseUri()
                            .resolve(SimulatorConfig.BASE_PATH.substring(1) + "/assets/" + upload.asset.id)
                            .toString());
        }
        answer.put("asset_id", upload.asset.id);
        answer.put("processed_chunks", report.processed());
        answer.put("duplicate_chunks", report.duplicates());
        answer.put("total_completed", report.totalCompleted());
        return Response.ok(answer).build();
    }

    @POST
    @Path("/{uploadId}/presigned-urls")
    @Operation(summary = "Get more presigned chunk URLs of a simulated multipart upload")
    public Response presign(@PathParam("uploadId") String uploadId, JsonNode body, @Context UriInfo uri) {
        Optional<Response> refused = http.refuse();
        if (refused.isPresent()) {
            return refused.get();
        }
        Optional<SimUpload> found = uploads.find(uploadId);
        if (found.isEmpty()) {
            return notFound(uploadId);
        }
        SimUpload upload = found.get();
        if (!"active".equals(upload.status())) {
            return error(400, "parameter_invalid", "The upload session " + uploadId + " is " + upload.status() + ".");
        }
        JsonNode start = body == null ? MissingNode.getInstance() : body.path("start");
        JsonNode count = body == null ? MissingNode.getInstance() : body.path("count");
        if (!start.isIntegralNumber() || !count.isIntegralNumber()) {
            return error(400, "parameter_not_provided", "start and count are required whole numbers.");
        }
        if (start.asLong() < 1
                || start.asLong() > upload.totalChunks
                || count.asLong() < 1
                || count.asLong() > MAX_URLS) {
            return error(
                    400,
                    "parameter_invalid",
                    "start must be from 1 to " + upload.totalChunks + " and count from 1 to " + MAX_URLS + ".");
        }
        int first = start.asInt();
        int n = (int) Math.min(count.asLong(), upload.totalChunks - first + 1L);
        List<SimUploads.Presigned> urls = urls(upload, first, n, uri);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("upload_id", upload.id);
        answer.put("start_index", first);
        answer.put("count", n);
        answer.put("upload_urls", urls);
        answer.put("generated_at", Instant.now().toString());
        answer.put("expires_at", Instant.now().plus(config.urlTtl()).toString());
        return Response.ok(answer).build();
    }

    @GET
    @Path("/{uploadId}")
    @Operation(summary = "Retrieve the status of a simulated multipart upload (chunks paged)")
    public Response status(
            @PathParam("uploadId") String uploadId,
            @QueryParam("page") @DefaultValue("1") int page,
            @QueryParam("page_limit") @DefaultValue("10") int pageLimit) {
        Optional<Response> refused = http.refuse();
        if (refused.isPresent()) {
            return refused.get();
        }
        Response badPage = SimHttp.badPage(page, pageLimit);
        if (badPage != null) {
            return badPage;
        }
        return uploads.find(uploadId)
                .map(upload -> Response.ok(upload.view(page, pageLimit)).build())
                .orElseGet(() -> notFound(uploadId));
    }

    @GET
    @Operation(summary = "List the incomplete simulated multipart uploads, newest first")
    public Response list(
            @QueryParam("page") @DefaultValue("1") int page,
            @QueryParam("page_limit") @DefaultValue("10") int pageLimit) {
        Optional<Response> refused = http.refuse();
        if (refused.isPresent()) {
            return refused.get();
        }
        Response badPage = SimHttp.badPage(page, pageLimit);
        if (badPage != null) {
            return badPage;
        }
        List<Map<String, Object>> incomplete = uploads.all().stream()
                .filter(upload -> !"completed".equals(upload.status()))
                .map(SimUpload::summary)
                .toList();
        return Response.ok(SimHttp.page(incomplete, page, pageLimit)).build();
    }

    private List<SimUploads.Presigned> urls(SimUpload upload, int first, int count, UriInfo uri) {
        return IntStream.range(first, first + count)
                .mapToObj(index -> uploads.presign(upload, index, uri.getBaseUri()))
                .toList();
    }

    private static Response notFound(String uploadId) {
        return error(404, "resource_not_exist", "There is no upload session with id " + uploadId + ".");
    }
}
