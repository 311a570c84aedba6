package io.reelhook.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.reelhook.api.ApiError;
import io.reelhook.task.LedgerUnavailableException;
import io.reelhook.task.Observation;
import io.reelhook.task.TaskLedger;
import io.reelhook.twelvelabs.TwelveLabsConfig;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Twelve Labs' signed status callbacks (CONTRACT §2): verified over the raw bytes, stored once, then acknowledged. */
@Path("/webhooks/twelvelabs")
public class WebhookResource {

    static final int MAX_BODY = 1024 * 1024;
    // constant answers, written without a serialiser lookup per request
    private static final String ACCEPTED = "{\"duplicate\":false}";
    private static final String DUPLICATE = "{\"duplicate\":true}";
    private static final Logger LOG = Logger.getLogger(WebhookResource.class);

    private final WebhookSigner signer;
    private final Duration tolerance;
    private final TaskLedger ledger;
    private final ObjectMapper json;
    private final Map<Outcome, Counter> counters = new EnumMap<>(Outcome.class);

    @Inject
    public WebhookResource(TwelveLabsConfig config, TaskLedger ledger, ObjectMapper json, MeterRegistry registry) {
        this.signer = new WebhookSigner(config.webhookSecret().orElse(List.of()).stream().map(String::trim)
                .filter(s -> !s.isEmpty()).toList());
        this.tolerance = config.webhookTolerance();
        this.ledger = ledger;
        this.json = json;
        for (Outcome outcome : Outcome.values()) {
            counters.put(outcome, Counter.builder("reelhook.webhooks").tag("outcome", outcome.tag())
                    .description("Twelve Labs webhook deliveries by outcome").register(registry));
        }
    }

    void warnWithoutSecret(@Observes StartupEvent start) {
        if (!signer.hasSecrets()) {
            LOG.warn("TWELVELABS_WEBHOOK_SECRET is empty: every webhook on /webhooks/twelvelabs is refused (401)");
        }
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive a Twelve Labs webhook", description = "Register this URL in the Twelve Labs dashboard.")
    @APIResponse(responseCode = "200", description = "Stored (or already stored: a redelivery)")
    @APIResponse(responseCode = "400", description = "Signed, but not a notification")
    @APIResponse(responseCode = "401", description = "Missing, malformed or wrong TL-Signature, or a stale timestamp")
    @APIResponse(responseCode = "413", description = "Body above 1 MiB")
    @APIResponse(responseCode = "503", description = "Database unavailable: Twelve Labs retries")
    public Response receive(@HeaderParam(SignatureHeader.NAME) String signature,
                            @HeaderParam(HttpHeaders.CONTENT_LENGTH) Long length, InputStream body) throws IOException {
        // refuse an oversized body before reading it: by its declared length, else by a capped read
        if (length != null && length > MAX_BODY) {
            return reply(Outcome.TOO_LARGE, null);
        }
        byte[] bytes = body.readNBytes(MAX_BODY + 1);
        if (bytes.length > MAX_BODY) {
            return reply(Outcome.TOO_LARGE, null);
        }
        Optional<SignatureHeader> header = SignatureHeader.parse(signature);
        if (header.isEmpty() || !signer.verifies(header.get(), bytes)) {
            return reply(Outcome.BAD_SIGNATURE, null);
        }
        long skew = Math.abs(Instant.now().getEpochSecond() - header.get().timestamp());
        if (skew > tolerance.toSeconds()) {
            return reply(Outcome.STALE, null);
        }
        Observation observation;
        try {
            observation = Notification.parse(json, bytes);
        } catch (IllegalArgumentException e) {
            return reply(Outcome.BAD_REQUEST, e.getMessage());
        }
        try {
            boolean stored = ledger.record(observation).isPresent();
            LOG.debugf("webhook %s for task %s %s", observation.notificationId(), observation.taskId(),
                    stored ? "stored" : "was a redelivery");
            return reply(stored ? Outcome.ACCEPTED : Outcome.DUPLICATE, null);
        } catch (LedgerUnavailableException e) {
            return reply(Outcome.DB_UNAVAILABLE, null);
        }
    }

    private Response reply(Outcome outcome, String detail) {
        counters.get(outcome).increment();
        if (outcome.status == 200) {
            return Response.ok(outcome == Outcome.DUPLICATE ? DUPLICATE : ACCEPTED).build();
        }
        // never log the header: it carries the signature
        LOG.debugf("webhook refused: %s", outcome.tag());
        Response.ResponseBuilder response = Response.status(outcome.status)
                .entity(new ApiError(outcome.code, detail == null ? outcome.message : detail));
        if (outcome == Outcome.DB_UNAVAILABLE) {
            response.header(HttpHeaders.RETRY_AFTER, "10");
        }
        if (outcome == Outcome.TOO_LARGE) {
            // the rest of the body stays unread
            response.header("Connection", "close");
        }
        return response.build();
    }
}
