package io.reelhook.upload;

import jakarta.annotation.security.RolesAllowed;
import io.reelhook.auth.Roles;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.reelhook.api.ApiException;
import io.reelhook.media.Inspection;
import io.reelhook.media.MediaInspector;
import io.reelhook.media.MediaLimits;
import io.reelhook.media.MediaProblem;
import io.reelhook.task.Task;
import io.reelhook.task.TaskLedger;
import io.reelhook.twelvelabs.CreatedTask;
import io.reelhook.twelvelabs.TaskFields;
import io.reelhook.twelvelabs.TaskUpload;
import io.reelhook.twelvelabs.TwelveLabsClient;
import io.reelhook.twelvelabs.TwelveLabsConfig;
import io.reelhook.twelvelabs.UpstreamException;
import io.reelhook.twelvelabs.UpstreamUnavailableException;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Blocking;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Twelve Labs-compatible {@code POST /v1.3/tasks}: checks the video, forwards it, records the task. */
@Path("/v1.3/tasks")
public class UploadResource {

    private static final Logger LOG = Logger.getLogger(UploadResource.class);
    private static final int READ_BUFFER = 256 * 1024;
    private static final int MAX_FIELD = 64 * 1024;
    private static final Duration WITHDRAW_WAIT = Duration.ofSeconds(30);

    @ConfigProperty(name = "quarkus.http.body.uploads-directory")
    java.nio.file.Path spoolDirectory;

    @Inject
    ExecutorService executor;

    @Inject
    TwelveLabsClient twelveLabs;

    @Inject
    TwelveLabsConfig config;

    @Inject
    MediaInspector media;

    @Inject
    MediaLimits limits;

    @Inject
    TaskLedger ledger;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry registry;

    void removeLeftovers(@Observes StartupEvent start) throws IOException {
        int removed = Spool.removeLeftovers(spoolDirectory);
        if (removed > 0) {
            LOG.infof("removed %d spooled upload(s) left behind in %s by an earlier process", removed, spoolDirectory);
        }
    }

    @POST
    @RolesAllowed(Roles.CLIENT)
    @Blocking
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Upload a video for indexing", description = "Twelve Labs' POST /tasks, forwarded.")
    @RequestBody(content = @Content(mediaType = MediaType.MULTIPART_FORM_DATA,
            schema = @Schema(implementation = Form.class)))
    public Response create(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                           @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long length, @Context HttpServerRequest request) {
        try (RequestStream body = RequestStream.of(request, limits.maxFileSize() + UploadSizeGuard.MULTIPART_OVERHEAD)) {
            Response created = accept(contentType, length != null, body);
            registry.counter("reelhook.uploads", "outcome", "accepted").increment();
            return created;
        } catch (ApiException e) {
            registry.counter("reelhook.uploads", "outcome", e.code()).increment();
            throw e;
        }
    }

    /**
     * Reads the form part by part. A video goes upstream while it arrives when the request declared its length
     * (which {@link UploadSizeGuard} has checked): Twelve Labs gets all but the request's last part at once, and
     * that part only once the video passed its checks; otherwise the request is withdrawn unfinished, and nothing
     * is created. A body of unknown length is received whole before anything is sent.
     */
    private Response accept(String contentType, boolean declaredLength, InputStream body) {
        String boundary = MultipartReader.boundary(contentType)
                .orElseThrow(() -> ApiException.invalid("Content-Type", "a multipart body needs a boundary."));
        MultipartReader reader = new MultipartReader(body, boundary, READ_BUFFER);
        UploadForm form = new UploadForm();
        CompletableFuture<TaskFields> fields = new CompletableFuture<>();
        CompletableFuture<CreatedTask> sending = null;
        Spool spool = null;
        try {
            for (Optional<MultipartReader.Part> next = reader.next(); next.isPresent(); next = reader.next()) {
                MultipartReader.Part part = next.get();
                if (part.filename() == null) {
                    form.add(part.name(), reader.text(MAX_FIELD));
                } else if (part.name().equalsIgnoreCase("video_file") && spool == null) {
                    spool = Spool.create(spoolDirectory, part.filename());
                    if (declaredLength) {
                        sending = send(new TaskUpload(spool, fields));
                    }
                    receive(reader, spool);
                }
            }
            Task task = task(form, spool, fields);
            if (sending == null) {
                sending = send(new TaskUpload(spool, fields));
            }
            CreatedTask created = sent(sending);
            if (spool != null) {
                registry.counter("reelhook.upload.bytes").increment(task.sizeBytes);
            }
            task.id = created.id();
            task.videoId = created.videoId();
            ledger.recordUpload(task);
            // a raw header: Response.location() would make it absolute, and the contract promises the path
            return Response.ok(created).header("Location", "/v1.3/tasks/" + created.id()).build();
        } catch (RequestStream.TooLongException e) {
            throw withdraw(fields, sending, spool, new ApiException(413, "video_filesize_too_large",
                    "The request is larger than a video of " + limits.maxFileSize() + " bytes and its form."));
        } catch (IOException e) {
            throw withdraw(fields, sending, spool, ApiException.invalid("video_file",
                    "the multipart body could not be read (" + e.getMessage() + ")."));
        } catch (RuntimeException e) {
            throw withdraw(fields, sending, spool, e);
        } finally {
            if (spool != null) {
                try {
                    spool.close();
                } catch (IOException e) {
                    LOG.warnf("could not delete the spooled upload %s: %s", spool.path(), e.getMessage());
                }
            }
        }
    }

    private void receive(MultipartReader reader, Spool spool) throws IOException {
        long size = reader.drain((bytes, offset, length) -> {
            check(media.checkSize(spool.size() + length));
            spool.write(bytes, offset, length);
        });
        spool.complete();
        LOG.debugf("received %d bytes of %s", size, spool.filename());
    }

    /** The task the form describes, once its fields and video passed every check; settles the fields. */
    private Task task(UploadForm form, Spool spool, CompletableFuture<TaskFields> fields) {
        String indexId = form.text("index_id").or(config::indexId).filter(id -> !id.isBlank())
                .orElseThrow(() -> ApiException.notProvided("index_id"));
        Optional<String> url = form.text("video_url");
        if (form.has("video_file")) {
            throw ApiException.invalid("video_file", "it must be a file part (with a filename).");
        }
        if (spool != null && url.isPresent()) {
            throw ApiException.invalid("video_file", "send either video_file or video_url, not both.");
        }
        if (spool == null && url.isEmpty()) {
            throw ApiException.notProvided("video_file or video_url");
        }
        Optional<Boolean> stream = form.bool("enable_video_stream");
        Optional<Map.Entry<String, Map<String, Object>>> userMetadata = form.userMetadata(json);
        String language = form.text("language").orElse(null);

        Task task = new Task();
        task.indexId = indexId;
        task.language = language;
        task.enableVideoStream = stream.orElse(true);
        task.userMetadata = userMetadata.map(Map.Entry::getValue).orElse(null);
        task.filename = spool != null ? spool.filename() : fileName(url.get());
        if (spool != null) {
            task.sizeBytes = spool.size();
            Inspection inspection = media.inspect(spool.path());
            check(inspection.problem());
            inspection.info().ifPresent(info -> {
                task.duration = info.duration();
                task.width = info.width();
                task.height = info.height();
            });
        }
        fields.complete(new TaskFields(indexId, url.orElse(null), language, stream.orElse(null),
                userMetadata.map(Map.Entry::getKey).orElse(null)));
        return task;
    }

    /**
     * Withdraws a request that is still being sent, and waits until it is gone, so that Twelve Labs never sees a
     * complete request for an upload that was refused.
     */
    private RuntimeException withdraw(CompletableFuture<TaskFields> fields, CompletableFuture<CreatedTask> sending,
                                      Spool spool, RuntimeException reason) {
        fields.completeExceptionally(reason);
        if (spool != null) {
            spool.fail(new IOException("the upload was refused", reason));
        }
        if (sending != null) {
            try {
                sending.get(WITHDRAW_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (ExecutionException expected) {
                // the cancelled request's own failure: the reason above is the answer
            } catch (TimeoutException e) {
                LOG.warnf("an upstream request for a refused upload was still running after %s", WITHDRAW_WAIT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return reason;
    }

    private CompletableFuture<CreatedTask> send(TaskUpload upload) {
        return CompletableFuture.supplyAsync(() -> twelveLabs.createTask(upload), executor);
    }

    private CreatedTask sent(CompletableFuture<CreatedTask> sending) {
        try {
            return sending.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? upstreamError(cause) : e;
        }
    }

    private void check(Optional<MediaProblem> problem) {
        problem.ifPresent(p -> {
            throw new ApiException("video_filesize_too_large".equals(p.code()) ? 413 : 400, p.code(), p.message());
        });
    }

    private static RuntimeException upstreamError(RuntimeException e) {
        if (e instanceof UpstreamUnavailableException) {
            return new ApiException(502, "upstream_unavailable",
                    "Twelve Labs could not be reached after several attempts; nothing was created. Try again later.");
        }
        if (e instanceof UpstreamException upstream) {
            return new ApiException(upstream.status(), upstream.code(), upstream.getMessage(),
                    upstream.retryAfterHeader().map(value -> Map.of("Retry-After", value)).orElse(Map.of()));
        }
        return e;
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

    /** The form as Twelve Labs documents it, for the OpenAPI document: the resource reads the body itself. */
    @Schema(name = "TaskUploadForm")
    static final class Form {
        @Schema(description = "Falls back to TWELVELABS_INDEX_ID")
        public String index_id;
        @Schema(type = SchemaType.STRING, format = "binary", description = "The video; or send video_url")
        public String video_file;
        public String video_url;
        public String language;
        public Boolean enable_video_stream;
        @Schema(description = "A JSON object, kept with the task")
        public String user_metadata;
    }
}
