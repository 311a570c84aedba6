package io.reelhook.twelvelabs;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.faulttolerance.api.CustomBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Supplier;

/**
 * Twelve Labs' multipart upload session calls, with bounded retries on connection errors, 5xx and 429 as in
 * {@link TwelveLabsClient}. Reporting chunks and asking for URLs are safe to repeat (duplicates are ignored); a
 * retried create may leave an unused session behind, which lapses on its own after 24 h. The typed calls serve
 * {@link ChunkedUpload}; the JSON ones pass a client's own session calls through (docs/assets.md).
 */
@Retry(
        maxRetries = 3,
        delay = 500,
        maxDuration = 2,
        durationUnit = ChronoUnit.MINUTES,
        retryOn = {UpstreamException.Transient.class, UpstreamUnavailableException.class})
@CustomBackoff(RetryAfterBackoff.class)
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
    TwelveLabsClient client;

    @Inject
    ObjectMapper json;

    /** A session for {@code totalSize} bytes; {@code userMetadata} is JSON object text, or null. */
    public MultipartSession create(String filename, String userMetadata, long totalSize) {
        ObjectNode request = json.createObjectNode()
                .put("filename", filename)
                .put("type", "video")
                .put("total_size", totalSize);
        if (userMetadata != null) {
            try {
                request.set("user_metadata", json.readTree(userMetadata));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("user_metadata is not JSON", e);
            }
        }
        return typed("create_multipart_upload", () -> api.create(request), MultipartSession.class);
    }

    /** A client's own session request, as it wrote it. Not retried on a lost answer: that would make two sessions. */
    @Retry(
            maxRetries = 3,
            delay = 500,
            maxDuration = 2,
            durationUnit = ChronoUnit.MINUTES,
            retryOn = {UpstreamException.Transient.class})
    public JsonNode create(JsonNode request) {
        return client.call("create_multipart_upload", () -> api.create(request), JsonNode.class);
    }

    public ChunkReport report(String uploadId, List<CompletedChunk> chunks) {
        JsonNode request = json.createObjectNode().set("completed_chunks", json.valueToTree(List.copyOf(chunks)));
        return typed("report_chunks", () -> api.report(uploadId, request), ChunkReport.class);
    }

    public JsonNode report(String uploadId, JsonNode request) {
        return client.call("report_chunks", () -> api.report(uploadId, request), JsonNode.class);
    }

    /** Fresh URLs for chunks {@code start} (1-based) to {@code start + count - 1}; {@code count} at most 50. */
    public PresignedUrls presignedUrls(String uploadId, int start, int count) {
        if (start < 1 || count < 1 || count > MAX_URLS) {
            throw new IllegalArgumentException("start " + start + ", count " + count);
        }
        JsonNode request = json.createObjectNode().put("start", start).put("count", count);
        return typed("presigned_urls", () -> api.presignedUrls(uploadId, request), PresignedUrls.class);
    }

    public JsonNode presignedUrls(String uploadId, JsonNode request) {
        return client.call("presigned_urls", () -> api.presignedUrls(uploadId, request), JsonNode.class);
    }

    /** The session's state, with the first page (of up to 50) of its chunks. */
    public MultipartStatus status(String uploadId) {
        return typed("multipart_upload_status", () -> api.status(uploadId, 1, STATUS_PAGE), MultipartStatus.class);
    }

    public JsonNode status(String uploadId, Integer page, Integer pageLimit) {
        return client.call("multipart_upload_status", () -> api.status(uploadId, page, pageLimit), JsonNode.class);
    }

    public JsonNode list(Integer page, Integer pageLimit) {
        return client.call("list_multipart_uploads", () -> api.list(page, pageLimit), JsonNode.class);
    }

    private <T> T typed(String operation, Supplier<Response> request, Class<T> type) {
        return json.convertValue(client.call(operation, request, JsonNode.class), type);
    }
}
