package io.reelhook.twelvelabs;

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

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Supplier;

/**
 * Twelve Labs' multipart upload session calls, with bounded retries on connection errors, 5xx and 429 as in
 * {@link TwelveLabsClient}. Reporting chunks and asking for URLs are safe to repeat (duplicates are ignored); a
 * retried create may leave an unused session behind, which lapses on its own after 24 h.
 */
@ApplicationScoped
public class MultipartUploads {

    /** Twelve Labs hands out at most this many presigned URLs per request. */
    public static final int MAX_URLS = 50;

    /** The most chunks one status page lists. */
    private static final int STATUS_PAGE = 50;

    @Inject
    @RestClient
    MultipartUploadApi api;

    @Inject
    TwelveLabsConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    MeterRegistry registry;

    @Retry(
            maxRetries = 3,
            delay = 500,
            maxDuration = 2,
            durationUnit = ChronoUnit.MINUTES,
            retryOn = {UpstreamException.Transient.class, UpstreamUnavailableException.class})
    @CustomBackoff(RetryAfterBackoff.class)
    public MultipartSession create(String filename, long totalSize) {
        return call(
                "create_multipart_upload",
                () -> api.create(new MultipartUploadApi.CreateRequest(filename, "video", totalSize)),
                MultipartSession.class);
    }

    @Retry(
            maxRetries = 3,
            delay = 500,
            maxDuration = 2,
            durationUnit = ChronoUnit.MINUTES,
            retryOn = {UpstreamException.Transient.class, UpstreamUnavailableException.class})
    @CustomBackoff(RetryAfterBackoff.class)
    public ChunkReport report(String uploadId, List<CompletedChunk> chunks) {
        return call(
                "report_chunks",
                () -> api.report(uploadId, new MultipartUploadApi.ReportRequest(List.copyOf(chunks))),
                ChunkReport.class);
    }

    /** Fresh URLs for chunks {@code start} (1-based) to {@code start + count - 1}; {@code count} at most 50. */
    @Retry(
            maxRetries = 3,
            delay = 500,
            maxDuration = 2,
            durationUnit = ChronoUnit.MINUTES,
            retryOn = {UpstreamException.Transient.class, UpstreamUnavailableException.class})
    @CustomBackoff(RetryAfterBackoff.class)
    public PresignedUrls presignedUrls(String uploadId, int start, int count) {
        if (start < 1 || count < 1 || count > MAX_URLS) {
            throw new IllegalArgumentException("start " + start + ", count " + count);
        }
        return call(
                "presigned_urls",
                () -> api.presignedUrls(uploadId, new MultipartUploadApi.UrlsRequest(start, count)),
                PresignedUrls.class);
    }

    /** The session's state, with the first page (of up to 50) of its chunks. */
    @Retry(
            maxRetries = 3,
            delay = 500,
            maxDuration = 2,
            durationUnit = ChronoUnit.MINUTES,
            retryOn = {UpstreamException.Transient.class, UpstreamUnavailableException.class})
    @CustomBackoff(RetryAfterBackoff.class)
    public MultipartStatus status(String uploadId) {
        return call("multipart_upload_status", () -> api.status(uploadId, 1, STATUS_PAGE), MultipartStatus.class);
    }

    private <T> T call(String operation, Supplier<Response> request, Class<T> type) {
        Timer.Sample sample = Timer.start(registry);
        String outcome = "unreachable";
        try (Response response = request.get()) {
            outcome = Integer.toString(response.getStatus());
            if (response.getStatus() / 100 == 2) {
                return response.readEntity(type);
            }
            throw TwelveLabsClient.failure(
                    json,
                    config.maxRetryAfter(),
                    response.getStatus(),
                    response.readEntity(String.class),
                    response.getHeaderString("Retry-After"));
        } catch (ProcessingException e) {
            throw new UpstreamUnavailableException(e.getCause() == null ? e : e.getCause());
        } finally {
            sample.stop(registry.timer("reelhook.upstream.requests", "operation", operation, "status", outcome));
        }
    }
}
