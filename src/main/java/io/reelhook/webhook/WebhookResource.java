package io.reelhook.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.runtime.RouteConstants;
import io.reelhook.api.ApiError;
import io.reelhook.task.LedgerUnavailableException;
import io.reelhook.task.Observation;
import io.reelhook.task.TaskLedger;
import io.reelhook.twelvelabs.TwelveLabsConfig;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
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
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** Twelve Labs' signed status callbacks (CONTRACT §2): verified over the raw bytes, stored once, then acknowledged. */
@Path(WebhookResource.PATH)
public class WebhookResource {

    static final String PATH = "/webhooks/twelvelabs";
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

    /**
     * Reads the body on the event loop, capped at 1 MiB (by the declared length before reading, else while reading):
     * {@link #receive} then takes it whole from the routing context, without a worker thread or a stream, and an
     * oversized body is refused with 413.
     */
    void readBody(@Observes Router router) {
        router.post(PATH).order(RouteConstants.ROUTE_ORDER_BODY_HANDLER)
                .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY))
                .failureHandler(rc -> {
                    if (rc.statusCode() != 413) {
                        rc.next();
                        return;
                    }
                    counters.get(Outcome.TOO_LARGE).increment();
                    // the rest of the body stays unread
                    rc.response().putHeader("Connection", "close");
                    new ApiError(Outcome.TOO_LARGE.code, Outcome.TOO_LARGE.message).end(rc.response(), 413);
                });
    }

    @POST
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive a Twelve Labs webhook", description = "Register this URL in the Twelve Labs dashboard.")
    @APIResponse(responseCode = "200", description = "Stored (or already stored: a redelivery)")
    @APIResponse(responseCode = "400", description = "Signed, but not a notification")
    @APIResponse(responseCode = "401", description = "Missing, malformed or wrong TL-Signature, or a stale timestamp")
    @APIResponse(responseCode = "413", description = "Body above 1 MiB")
    @APIResponse(responseCode = "503", description = "Database unavailable: Twelve Labs retries")
    @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON), description = "Twelve Labs' notification")
    public CompletionStage<Response> receive(@HeaderParam(SignatureHeader.NAME) String signature, RoutingContext request) {
        Buffer body = request.body().buffer();
        byte[] bytes = body == null ? new byte[0] : body.getBytes();
        Optional<SignatureHeader> header = SignatureHeader.parse(signature);
        if (header.isEmpty() || !signer.verifies(header.get(), bytes)) {
            return answered(Outcome.BAD_SIGNATURE, null);
        }
        long skew = Math.abs(Instant.now().getEpochSecond() - header.get().timestamp());
        if (skew > tolerance.toSeconds()) {
            return answered(Outcome.STALE, null);
        }
        Observation observation;
        try {
            observation = Notification.parse(json, bytes);
        } catch (IllegalArgumentException e) {
            return answered(Outcome.BAD_REQUEST, e.getMessage());
        }
        // the writer thread that committed only hands the answer back to this request's event loop
        Context context = Vertx.currentContext();
        return ledger.submit(observation).handleAsync((event, error) -> {
            if (error == null) {
                LOG.debugf("webhook %s for task %s %s", observation.notificationId(), observation.taskId(),
                        event.isPresent() ? "stored" : "was a redelivery");
                return reply(event.isPresent() ? Outcome.ACCEPTED : Outcome.DUPLICATE, null);
            }
            if (error instanceof LedgerUnavailableException) {
                return reply(Outcome.DB_UNAVAILABLE, null);
            }
            throw error instanceof CompletionException c ? c : new CompletionException(error);
        }, task -> context.runOnContext(ignored -> task.run()));
    }

    private CompletionStage<Response> answered(Outcome outcome, String detail) {
        return CompletableFuture.completedFuture(reply(outcome, detail));
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
        return response.build();
    }
}
