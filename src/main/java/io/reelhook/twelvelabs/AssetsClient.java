package io.reelhook.twelvelabs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.smallrye.faulttolerance.api.CustomBackoff;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Typed access to Twelve Labs' asset API, with the bounded retries of {@link TwelveLabsClient} on connection errors,
 * 5xx and 429. Answers are Twelve Labs' JSON as it came, so that Reelhook passes on fields it does not know.
 */
@Retry(
        maxRetries = 3,
        delay = 500,
        maxDuration = 2,
        durationUnit = ChronoUnit.MINUTES,
        retryOn = {UpstreamException.Transient.class, UpstreamUnavailableException.class})
@CustomBackoff(RetryAfterBackoff.class)
@ApplicationScoped
public class AssetsClient {

    private final AssetsApi api;
    private final TwelveLabsClient client;
    private final UpstreamSender sender;
    private final ObjectMapper json;
    private final MeterRegistry registry;

    AssetsClient(
            @RestClient AssetsApi api,
            TwelveLabsClient client,
            UpstreamSender sender,
            ObjectMapper json,
            MeterRegistry registry) {
        this.api = api;
        this.client = client;
        this.sender = sender;
        this.json = json;
        this.registry = registry;
    }

    /**
     * {@code POST /assets}: the fields, then the file when there is one (null for {@code method=url}). Not retried once
     * the file went out: a lost answer could hide an asset that Twelve Labs made, and a second one would be billed.
     */
    @Retry(
            maxRetries = 3,
            delay = 500,
            maxDuration = 2,
            durationUnit = ChronoUnit.MINUTES,
            retryOn = {UpstreamException.Transient.class})
    public JsonNode createAsset(Map<String, String> fields, Video file) {
        String boundary = "reelhook-" + UUID.randomUUID();
        Timer.Sample sample = Timer.start(registry);
        String outcome = "unreachable";
        try {
            UpstreamSender.Answer answer = sender.send(
                    "/assets",
                    "multipart/form-data; boundary=" + boundary,
                    TwelveLabsClient.apiKey(),
                    form(fields, file, boundary));
            outcome = Integer.toString(answer.status());
            if (answer.status() / 100 == 2) {
                return json.readTree(answer.body());
            }
            throw client.failure(answer.status(), answer.body(), answer.retryAfter());
        } catch (IOException e) {
            throw new UpstreamUnavailableException(e);
        } finally {
            sample.stop(registry.timer("reelhook.upstream.requests", "operation", "create_asset", "status", outcome));
        }
    }

    private static InputStream form(Map<String, String> fields, Video file, String boundary) {
        List<InputStream> parts = new ArrayList<>();
        parts.add(FormParts.fields(fields, boundary));
        if (file != null) {
            parts.add(FormParts.fileHead("file", file.filename(), boundary));
            parts.add(new LazyStream(file::open));
            parts.add(FormParts.afterFile());
        }
        parts.add(FormParts.end(boundary));
        return new SequenceInputStream(Collections.enumeration(parts));
    }

    public JsonNode getAsset(String assetId) {
        return client.call("get_asset", () -> api.getAsset(assetId), JsonNode.class);
    }

    public JsonNode getIndexedAsset(String indexId, String id) {
        return client.call("get_indexed_asset", () -> api.getIndexedAsset(indexId, id), JsonNode.class);
    }

    /** Whether Twelve Labs knows the index: a {@code 404 resource_not_exist} (as Twelve Labs wrote it) when not. */
    public void requireIndex(String indexId) {
        client.call("get_index", () -> api.getIndex(indexId), JsonNode.class);
    }

    /** Not retried on a lost answer: a second request could index the asset twice. */
    @Retry(
            maxRetries = 3,
            delay = 500,
            maxDuration = 2,
            durationUnit = ChronoUnit.MINUTES,
            retryOn = {UpstreamException.Transient.class})
    public JsonNode createIndexedAsset(String indexId, JsonNode request) {
        return client.call("create_indexed_asset", () -> api.createIndexedAsset(indexId, request), JsonNode.class);
    }
}
