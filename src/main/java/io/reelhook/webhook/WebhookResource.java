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
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Twelve Labs' signed status callbacks: verified over the raw bytes, stored once, then acknowledged.
 * <p>
 * A Vert.x route rather than a JAX-RS resource: the body is read on the event loop, capped at 1 MiB (by the declared
 * length before reading, else while reading), and the answer is written when the group commit that holds the
 * notification completes; no worker thread waits for the database. Before a byte of the body is read, a request
 * without a well-formed, current {@code TL-Signature} is refused, and so is one beyond
 * {@code reelhook.webhook.max-in-flight} bodies being read at once: at most that many MiB of the heap hold webhook
 * bodies. Documented in META-INF/openapi.yaml.
 */
@Singleton
public class WebhookResource {

    static final String PATH = "/webhooks/twelvelabs";
    static final int MAX_BODY = 1024 * 1024;
    private static final String ACCEPTED = "{\"duplicate\":false}";
    private static final String DUPLICATE = "{\"duplicate\":true}";
    private static final Logger LOG = Logger.getLogger(WebhookResource.class);
    private static final String HEADER = "reelhook.webhook.signature";
    private static final String RELEASE = "reelhook.webhook.release";

    private final WebhookSigner signer;
    private final Duration tolerance;
    private final TaskLedger ledger;
    private final ObjectMapper json;
    private final Map<Outcome, Counter> counters = new EnumMap<>(Outcome.class);
    private final RecentOutcomes recent;
    /** Bodies being read at once. */
    private final Semaphore inFlight;

    @Inject
    public WebhookResource(
            TwelveLabsConfig config,
            TaskLedger ledger,
            ObjectMapper json,
            MeterRegistry registry,
            WebhookConfig limits,
            RecentOutcomes recent) {
        this.signer = new WebhookSigner(config.webhookSecret().orElse(List.of()).stream()
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList());
        this.tolerance = config.webhookTolerance();
        this.ledger = ledger;
        this.json = json;
        this.recent = recent;
        this.inFlight = new Semaphore(limits.maxInFlight());
        for (Outcome outcome : Outcome.values()) {
            counters.put(
                    outcome,
                    Counter.builder("reelhook.webhooks")
                            .tag("outcome", outcome.tag())
                            .description("Twelve Labs webhook deliveries by outcome")
                            .register(registry));
        }
    }

    void warnWithoutSecret(@Observes StartupEvent start) {
        if (!signer.hasSecrets()) {
            LOG.warn("TWELVELABS_WEBHOOK_SECRET is empty: every webhook on /webhooks/twelvelabs is refused (401)");
        }
    }

    void install(@Observes Router router) {
        // a route of its own: Vert.x runs a body handler only first in its route
        router.post(PATH).handler(this::admit);
        router.post(PATH)
                .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY))
                .handler(this::receive)
                .failureHandler(rc -> {
                    if (rc.statusCode() != 413) {
                        rc.next();
                        return;
                    }
                    // the rest of the body stays unread
                    refuseUnread(rc, Outcome.TOO_LARGE);
                });
        // what the REST endpoints answer to a wrong method, rather than the router's bare 404
        router.route(PATH)
                .handler(rc -> new ApiError("method_not_allowed", "Twelve Labs delivers webhooks with POST.")
                        .end(rc.response().putHeader("Allow", "POST"), 405));
    }

    /** What the headers alone decide, before the body handler reads a byte. */
    private void admit(RoutingContext request) {
        Optional<SignatureHeader> header =
                SignatureHeader.parse(request.request().getHeader(SignatureHeader.NAME));
        if (header.isEmpty() || !signer.hasSecrets()) {
            refuseUnread(request, Outcome.BAD_SIGNATURE);
            return;
        }
        if (Math.abs(Instant.now().getEpochSecond() - header.get().timestamp()) > tolerance.toSeconds()) {
            refuseUnread(request, Outcome.STALE);
            return;
        }
        if (!inFlight.tryAcquire()) {
            request.response().putHeader("Retry-After", "1");
            refuseUnread(request, Outcome.BUSY);
            return;
        }
        AtomicBoolean held = new AtomicBoolean(true);
        Runnable release = () -> {
            if (held.compareAndSet(true, false)) {
                inFlight.release();
            }
        };
        request.put(HEADER, header.get());
        request.put(RELEASE, release);
        // whichever comes first: the body read, or the request's end however it ends
        request.addEndHandler(ended -> release.run());
        request.next();
    }

    private void receive(RoutingContext request) {
        request.<Runnable>get(RELEASE).run();
        HttpServerResponse response = request.response();
        Buffer body = request.body().buffer();
        byte[] bytes = body == null ? new byte[0] : body.getBytes();
        if (!signer.verifies(request.get(HEADER), bytes)) {
            reply(response, Outcome.BAD_SIGNATURE, null);
            return;
        }
        Observation observation;
        try {
            observation = Notification.parse(json, bytes);
        } catch (IllegalArgumentException e) {
            reply(response, Outcome.BAD_REQUEST, e.getMessage());
            return;
        }
        // the writer thread that committed only hands the outcome back to this request's event loop
        Context context = Vertx.currentContext();
        ledger.submit(observation)
                .whenComplete((event, error) -> context.runOnContext(ignored -> {
                    if (error == null) {
                        LOG.debugf(
                                "webhook %s for task %s %s",
                                observation.notificationId(),
                                observation.taskId(),
                                event.isPresent() ? "stored" : "was a redelivery");
                        reply(response, event.isPresent() ? Outcome.ACCEPTED : Outcome.DUPLICATE, null);
                    } else if (error instanceof LedgerUnavailableException) {
                        reply(response, Outcome.DB_UNAVAILABLE, null);
                    } else {
                        request.fail(error);
                    }
                }));
    }

    /** A refusal with the body (or its rest) unread: the connection cannot carry another request after it. */
    private void refuseUnread(RoutingContext request, Outcome outcome) {
        if (request.request().version() != HttpVersion.HTTP_2) {
            // Vert.x would otherwise read the rest of the body to keep the connection; on HTTP/2 only the stream ends
            HttpServerRequest raw = request.request();
            raw.response()
                    .putHeader("Connection", "close")
                    .endHandler(ended -> raw.connection().close());
        }
        reply(request.response(), outcome, null);
    }

    private void reply(HttpServerResponse response, Outcome outcome, String detail) {
        counters.get(outcome).increment();
        recent.record(outcome);
        if (response.closed()) {
            // Twelve Labs gave up waiting and will redeliver; a stored notification then answers as a duplicate
            return;
        }
        if (outcome.status == 200) {
            response.putHeader("Content-Type", "application/json")
                    .end(outcome == Outcome.DUPLICATE ? DUPLICATE : ACCEPTED);
            return;
        }
        // never log the header: it carries the signature
        LOG.debugf("webhook refused: %s", outcome.tag());
        if (outcome == Outcome.DB_UNAVAILABLE && response.headers().get("Retry-After") == null) {
            response.putHeader("Retry-After", "10");
        }
        new ApiError(outcome.code, detail == null ? outcome.message : detail).end(response, outcome.status);
    }
}
