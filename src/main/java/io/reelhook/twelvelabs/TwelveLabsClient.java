package io.reelhook.twelvelabs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.faulttolerance.api.CustomBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.SequenceInputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * Typed access to Twelve Labs with bounded retries (count and time) on connection errors, 5xx and 429.
 * Every attempt rebuilds its request, so a retried upload resends the whole video.
 */
@ApplicationScoped
public class TwelveLabsClient {

    private static final Logger LOG = Logger.getLogger(TwelveLabsClient.class);

    @Inject
    @RestClient
    TwelveLabsApi api;

    @Inject
    UpstreamSender sender;

    @Inject
    TwelveLabsConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry registry;

    /**
     * Streams the upload: the video from its start, then the fields once they are settled. Fields go after the
     * video because a client may send them after it; a form's part order means nothing to Twelve Labs.
     */
    @Retry(
            maxRetries = 3,
            delay = 500,
            maxDuration = 30,
            durationUnit = ChronoUnit.MINUTES,
            retryOn = {UpstreamException.Transient.class, UpstreamUnavailableException.class})
    @CustomBackoff(RetryAfterBackoff.class)
    public CreatedTask createTask(TaskUpload upload) {
        Instant started = upload.attempts().start();
        if (upload.attempts().delivered()) {
            // the last attempt's body arrived whole and its answer was lost: Twelve Labs may have made the task
            Optional<CreatedTask> made = findMade(upload, started);
            if (made.isPresent()) {
                LOG.infof(
                        "the answer to an upload was lost; Twelve Labs has its task %s",
                        made.get().id());
                return made.get();
            }
            upload.attempts().delivered(false);
        }
        String boundary = "reelhook-" + UUID.randomUUID();
        Timer.Sample sample = Timer.start(registry);
        String outcome = "unreachable";
        try {
            UpstreamSender.Answer answer = sender.send(
                    "/tasks", "multipart/form-data; boundary=" + boundary, apiKey(), body(upload, boundary));
            outcome = Integer.toString(answer.status());
            if (answer.status() / 100 == 2) {
                return json.readValue(answer.body(), CreatedTask.class);
            }
            throw failure(answer.status(), answer.body(), answer.retryAfter());
        } catch (UpstreamSender.BrokenException e) {
            upload.attempts().delivered(e.delivered);
            throw new UpstreamUnavailableException(e.getCause());
        } catch (IOException e) {
            if (upload.fields().toCompletableFuture().isCompletedExceptionally()) {
                // the upload withdrew its request: its own failure is the answer, and a retry would be futile
                throw new CancellationException("the upload was withdrawn");
            }
            throw new UpstreamUnavailableException(e);
        } finally {
            sample.stop(registry.timer("reelhook.upstream.requests", "operation", "create_task", "status", outcome));
        }
    }

    /**
     * The newest task for the upload's file (or its {@code video_url}'s file name) and index that Twelve Labs made
     * since the first attempt started.
     */
    private Optional<CreatedTask> findMade(TaskUpload upload, Instant since) {
        TaskFields fields = upload.fields().toCompletableFuture().getNow(null);
        String filename = upload.video() != null
                ? upload.video().filename()
                : fields != null && fields.videoUrl() != null
                        ? TaskFields.fileName(URI.create(fields.videoUrl()))
                        : null;
        if (filename == null) {
            return Optional.empty();
        }
        String indexId = fields == null ? null : fields.indexId();
        JsonNode list;
        try {
            list = listTasks(indexId, filename);
        } catch (UpstreamException e) {
            // unknown whether the task exists: sending again could make a second one, so this attempt fails
            throw e instanceof UpstreamException.Transient ? e : new UpstreamUnavailableException(e);
        }
        for (JsonNode task : list.path("data")) {
            String name = task.path("system_metadata").path("filename").asText(filename);
            Instant created = parseInstant(task.path("created_at").asText(null));
            if (name.equals(filename)
                    && created != null
                    && !created.isBefore(since)
                    && (indexId == null || indexId.equals(task.path("index_id").asText(indexId)))) {
                return Optional.of(new CreatedTask(
                        task.path("_id").asText(), task.path("video_id").asText(null)));
            }
        }
        return Optional.empty();
    }

    /** {@code GET /tasks} by index and filename, newest first. */
    public JsonNode listTasks(String indexId, String filename) {
        return call("list_tasks", () -> api.listTasks(indexId, filename, "created_at", "desc", 10), JsonNode.class);
    }

    private static Instant parseInstant(String text) {
        try {
            return text == null ? null : java.time.OffsetDateTime.parse(text).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private InputStream body(TaskUpload upload, String boundary) {
        List<InputStream> parts = new ArrayList<>();
        if (upload.video() != null) {
            parts.add(FormParts.fileHead("video_file", upload.video().filename(), boundary));
            parts.add(new LazyStream(() -> upload.video().open()));
            parts.add(FormParts.afterFile());
        }
        parts.add(new LazyStream(() -> fields(settled(upload.fields()), boundary)));
        parts.add(FormParts.end(boundary));
        return new SequenceInputStream(Collections.enumeration(parts));
    }

    private InputStream fields(TaskFields fields, String boundary) {
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("index_id", fields.indexId());
        form.put("video_url", fields.videoUrl());
        form.put("enable_video_stream", fields.enableVideoStream());
        form.put("user_metadata", fields.userMetadata());
        form.put("language", config.acceptsLanguage() ? fields.language() : null);
        return FormParts.fields(form, boundary);
    }

    private static TaskFields settled(CompletionStage<TaskFields> fields) throws IOException {
        try {
            return fields.toCompletableFuture().get();
        } catch (ExecutionException e) {
            throw new IOException("the upload was withdrawn", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the upload's fields");
        }
    }

    /** The key both clients send (empty while the simulator is the upstream). */
    public static String apiKey() {
        return ConfigProvider.getConfig()
                .getOptionalValue("twelvelabs.api-key", String.class)
                .orElse("");
    }

    @Retry(
            maxRetries = 3,
            delay = 500,
            maxDuration = 2,
            durationUnit = ChronoUnit.MINUTES,
            retryOn = {UpstreamException.Transient.class, UpstreamUnavailableException.class})
    @CustomBackoff(RetryAfterBackoff.class)
    public UpstreamTask getTask(String taskId) {
        return call("get_task", () -> api.getTask(taskId), UpstreamTask.class);
    }

    <T> T call(String operation, Supplier<Response> request, Class<T> type) {
        Timer.Sample sample = Timer.start(registry);
        String outcome = "unreachable";
        try (Response response = request.get()) {
            outcome = Integer.toString(response.getStatus());
            if (response.getStatus() / 100 == 2) {
                return response.readEntity(type);
            }
            throw failure(
                    response.getStatus(), response.readEntity(String.class), response.getHeaderString("Retry-After"));
        } catch (ProcessingException e) {
            throw new UpstreamUnavailableException(e.getCause() == null ? e : e.getCause());
        } finally {
            sample.stop(registry.timer("reelhook.upstream.requests", "operation", operation, "status", outcome));
        }
    }

    UpstreamException failure(int status, String answer, String retryAfter) {
        return failure(json, config.maxRetryAfter(), status, answer, retryAfter);
    }

    /**
     * Twelve Labs' error answer as an exception with its code and message; a 5xx, or a 429 whose Retry-After is at
     * most {@code maxRetryAfter}, is {@link UpstreamException.Transient}. Shared with {@link MultipartUploads}.
     */
    static UpstreamException failure(
            ObjectMapper json, Duration maxRetryAfter, int status, String answer, String retryAfter) {
        String code = "upstream_error";
        String message = "Twelve Labs answered " + status + ".";
        try {
            JsonNode body = json.readTree(answer);
            if (body != null && body.hasNonNull("code")) {
                code = body.get("code").asText();
                message = body.path("message").asText(message);
            }
        } catch (Exception unreadable) {
            // not Twelve Labs' JSON (a proxy's HTML page, say): keep the generic code
        }
        UpstreamException error = new UpstreamException(status, code, message, retryAfter);
        boolean waitable = error.retryAfterHeader().isEmpty()
                || error.retryAfter()
                        .filter(wait -> wait.compareTo(maxRetryAfter) <= 0)
                        .isPresent();
        return status >= 500 || (status == 429 && waitable)
                ? new UpstreamException.Transient(status, code, message, retryAfter)
                : error;
    }
}
