package io.reelhook.upload;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.reelhook.api.ApiException;
import io.reelhook.media.Inspection;
import io.reelhook.media.MediaInspector;
import io.reelhook.media.MediaProblem;
import io.reelhook.task.Task;
import io.reelhook.task.TaskLedger;
import io.reelhook.twelvelabs.CreatedTask;
import io.reelhook.twelvelabs.TaskUpload;
import io.reelhook.twelvelabs.TwelveLabsClient;
import io.reelhook.twelvelabs.TwelveLabsConfig;
import io.reelhook.twelvelabs.UpstreamException;
import io.reelhook.twelvelabs.UpstreamUnavailableException;
import io.smallrye.common.annotation.Blocking;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.jboss.resteasy.reactive.server.multipart.FormValue;
import org.jboss.resteasy.reactive.server.multipart.MultipartFormDataInput;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Optional;

/** Twelve Labs-compatible {@code POST /v1.3/tasks}: checks the video, forwards it, records the task. */
@Path("/v1.3/tasks")
public class UploadResource {

    @Inject
    TwelveLabsClient twelveLabs;

    @Inject
    TwelveLabsConfig config;

    @Inject
    MediaInspector media;

    @Inject
    TaskLedger ledger;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry registry;

    @POST
    @Blocking
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Upload a video for indexing", description = "Twelve Labs' POST /tasks, forwarded.")
    public Response create(MultipartFormDataInput input) {
        try {
            Response created = accept(new UploadForm(input));
            registry.counter("reelhook.uploads", "outcome", "accepted").increment();
            return created;
        } catch (ApiException e) {
            registry.counter("reelhook.uploads", "outcome", e.code()).increment();
            throw e;
        }
    }

    private Response accept(UploadForm form) {
        String indexId = form.text("index_id").or(config::indexId).filter(id -> !id.isBlank())
                .orElseThrow(() -> ApiException.notProvided("index_id"));
        Optional<FormValue> file = form.file();
        Optional<String> url = form.text("video_url");
        if (file.isPresent() && url.isPresent()) {
            throw ApiException.invalid("video_file", "send either video_file or video_url, not both.");
        }
        if (file.isEmpty() && url.isEmpty()) {
            throw ApiException.notProvided("video_file or video_url");
        }
        if (file.isPresent() && !file.get().isFileItem()) {
            throw ApiException.invalid("video_file", "it must be a file part (with a filename).");
        }
        Optional<Boolean> stream = form.bool("enable_video_stream");
        Optional<Map.Entry<String, Map<String, Object>>> userMetadata = form.userMetadata(json);
        String language = form.text("language").orElse(null);

        Task task = new Task();
        task.indexId = indexId;
        task.language = language;
        task.enableVideoStream = stream.orElse(true);
        task.userMetadata = userMetadata.map(Map.Entry::getValue).orElse(null);
        task.filename = file.map(FormValue::getFileName).orElseGet(() -> fileName(url.get()));
        try (SpooledFile spooled = file.map(f -> SpooledFile.of(f.getFileItem())).orElse(null)) {
            if (spooled != null) {
                task.sizeBytes = spooled.size();
                Inspection inspection = media.inspect(spooled.path());
                check(inspection.problem());
                inspection.info().ifPresent(info -> {
                    task.duration = info.duration();
                    task.width = info.width();
                    task.height = info.height();
                });
            }
            CreatedTask created = forward(new TaskUpload(indexId, spooled == null ? null : spooled.path(),
                    task.filename, url.orElse(null), language, stream.orElse(null),
                    userMetadata.map(Map.Entry::getKey).orElse(null)));
            if (spooled != null) {
                registry.counter("reelhook.upload.bytes").increment(task.sizeBytes);
            }
            task.id = created.id();
            task.videoId = created.videoId();
            ledger.recordUpload(task);
            // a raw header: Response.location() would make it absolute, and the contract promises the path
            return Response.ok(created).header("Location", "/v1.3/tasks/" + created.id()).build();
        }
    }

    private void check(Optional<MediaProblem> problem) {
        problem.ifPresent(p -> {
            throw new ApiException("video_filesize_too_large".equals(p.code()) ? 413 : 400, p.code(), p.message());
        });
    }

    private CreatedTask forward(TaskUpload upload) {
        try {
            return twelveLabs.createTask(upload);
        } catch (UpstreamUnavailableException e) {
            throw new ApiException(502, "upstream_unavailable",
                    "Twelve Labs could not be reached after several attempts; nothing was created. Try again later.");
        } catch (UpstreamException e) {
            throw new ApiException(e.status(), e.code(), e.getMessage(),
                    e.retryAfterHeader().map(value -> Map.of("Retry-After", value)).orElse(Map.of()));
        }
    }

    private static String fileName(String url) {
        try {
            URI uri = new URI(url);
            if (!"http".equalsIgnoreCase(uri.getScheme()) && !"https".equalsIgnoreCase(uri.getScheme())) {
                throw ApiException.invalid("video_url", "it must be an http(s) URL.");
            }
            String path = uri.getPath() == null ? "" : uri.getPath();
            return path.isEmpty() || path.endsWith("/") ? uri.getHost() : path.substring(path.lastIndexOf('/') + 1);
        } catch (URISyntaxException e) {
            throw ApiException.invalid("video_url", "it is not a URL.");
        }
    }
}
