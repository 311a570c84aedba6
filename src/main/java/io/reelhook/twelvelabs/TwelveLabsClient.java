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
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.resteasy.reactive.client.api.ClientMultipartForm;

import java.time.temporal.ChronoUnit;
import java.util.function.Supplier;

/**
 * Typed access to Twelve Labs with bounded retries (count and time) on connection errors, 5xx and 429.
 * Every attempt rebuilds its request, so a retried upload resends the whole spooled file.
 */
@ApplicationScoped
public class TwelveLabsClient {

    @Inject
    @RestClient
    TwelveLabsApi api;

    @Inject
    TwelveLabsConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry registry;

    @Retry(maxRetries = 3, delay = 500, maxDuration = 30, durationUnit = ChronoUnit.MINUTES,
            retryOn = {UpstreamException.Transient.class, UpstreamUnavailableException.class})
    @CustomBackoff(RetryAfterBackoff.class)
    public CreatedTask createTask(TaskUpload upload) {
        ClientMultipartForm form = ClientMultipartForm.create().attribute("index_id", upload.indexId(), null);
        if (upload.file() != null) {
            form.binaryFileUpload("video_file", upload.filename(), upload.file().toString(), "application/octet-stream");
        } else {
            form.attribute("video_url", upload.videoUrl(), null);
        }
        if (upload.enableVideoStream() != null) {
            form.attribute("enable_video_stream", upload.enableVideoStream().toString(), null);
        }
        if (upload.userMetadata() != null) {
            form.attribute("user_metadata", upload.userMetadata(), null);
        }
        if (upload.language() != null && config.acceptsLanguage()) {
            form.attribute("language", upload.language(), null);
        }
        return call("create_task", () -> api.createTask(form), CreatedTask.class);
    }

    @Retry(maxRetries = 3, delay = 500, maxDuration = 2, durationUnit = ChronoUnit.MINUTES,
            retryOn = {UpstreamException.Transient.class, UpstreamUnavailableException.class})
    @CustomBackoff(RetryAfterBackoff.class)
    public UpstreamTask getTask(String taskId) {
        return call("get_task", () -> api.getTask(taskId), UpstreamTask.class);
    }

    private <T> T call(String operation, Supplier<Response> request, Class<T> type) {
        Timer.Sample sample = Timer.start(registry);
        String outcome = "unreachable";
        try (Response response = request.get()) {
            outcome = Integer.toString(response.getStatus());
            if (response.getStatus() / 100 == 2) {
                return response.readEntity(type);
            }
            throw failure(response);
        } catch (ProcessingException e) {
            throw new UpstreamUnavailableException(e.getCause() == null ? e : e.getCause());
        } finally {
            sample.stop(registry.timer("reelhook.upstream.requests", "operation", operation, "status", outcome));
        }
    }

    private UpstreamException failure(Response response) {
        int status = response.getStatus();
        String code = "upstream_error";
        String message = "Twelve Labs answered " + status + ".";
        try {
            JsonNode body = json.readTree(response.readEntity(String.class));
            if (body != null && body.hasNonNull("code")) {
                code = body.get("code").asText();
                message = body.path("message").asText(message);
            }
        } catch (Exception unreadable) {
            // not Twelve Labs' JSON (a proxy's HTML page, say): keep the generic code
        }
        String retryAfter = response.getHeaderString("Retry-After");
        UpstreamException error = new UpstreamException(status, code, message, retryAfter);
        boolean waitable = error.retryAfterHeader().isEmpty()
                || error.retryAfter().filter(wait -> wait.compareTo(config.maxRetryAfter()) <= 0).isPresent();
        return status >= 500 || (status == 429 && waitable)
                ? new UpstreamException.Transient(status, code, message, retryAfter) : error;
    }
}
