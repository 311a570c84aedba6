package io.reelhook.subscriptions;

import io.reelhook.api.ApiException;
import io.reelhook.auth.Roles;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.groups.ConvertGroup;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.net.URI;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Outbound webhook subscriptions (admin keys only). */
@Path("/api/v1/subscriptions")
@RolesAllowed(Roles.ADMIN)
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Blocking
public class SubscriptionResource {

    private final SubscriptionStore store;
    private final DeliveryLog log;
    private final WebhooksConfig config;

    SubscriptionResource(SubscriptionStore store, DeliveryLog log, WebhooksConfig config) {
        this.store = store;
        this.log = log;
        this.config = config;
    }

    @POST
    @Operation(summary = "Create a subscription; the answer holds its signing secret")
    public Response create(@Valid @ConvertGroup(to = SubscriptionRequest.Full.class) SubscriptionRequest request) {
        requireBody(request);
        full(request);
        UrlGuard.check(request.url(), config.allowPrivate());
        Subscription created = store.create(request, Signer.newSecret());
        return Response.created(URI.create("/api/v1/subscriptions/" + created.id()))
                .entity(created)
                .build();
    }

    @GET
    @Operation(summary = "All subscriptions (without their secrets)")
    public Map<String, List<Subscription>> list() {
        return Map.of("data", store.list().stream().map(Subscription::hidden).toList());
    }

    @GET
    @Path("/{id}")
    public Subscription get(@PathParam("id") UUID id) {
        return store.get(id).hidden();
    }

    @PATCH
    @Path("/{id}")
    @Operation(summary = "Change the fields sent: enabled, url, event_types, index_ids, description")
    public Subscription patch(@PathParam("id") UUID id, @Valid SubscriptionRequest change) {
        requireBody(change);
        if (change.url() != null) {
            UrlGuard.check(change.url(), config.allowPrivate());
        }
        return store.update(id, change).hidden();
    }

    @PUT
    @Path("/{id}")
    @Operation(summary = "Replace a subscription's url, filters and description (and enabled, when sent)")
    public Subscription put(
            @PathParam("id") UUID id,
            @Valid @ConvertGroup(to = SubscriptionRequest.Full.class) SubscriptionRequest change) {
        requireBody(change);
        full(change);
        UrlGuard.check(change.url(), config.allowPrivate());
        SubscriptionRequest replaced = new SubscriptionRequest(
                change.url(),
                change.eventTypes(),
                change.indexIds() == null ? List.of() : change.indexIds(),
                change.description() == null ? "" : change.description(),
                change.enabled());
        return store.update(id, replaced).hidden();
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") UUID id) {
        store.delete(id);
        return Response.noContent().build();
    }

    @POST
    @Path("/{id}/rotate-secret")
    @Operation(summary = "A new secret; the previous one keeps signing beside it for 24 h")
    public Subscription rotate(@PathParam("id") UUID id) {
        return store.rotate(id, Signer.newSecret(), config.rotationOverlap());
    }

    @GET
    @Path("/{id}/deliveries")
    @Operation(summary = "The newest deliveries, each with its attempts (time, status code, latency, error)")
    public Map<String, List<Delivery>> deliveries(
            @PathParam("id") UUID id,
            @QueryParam("status") @Pattern(regexp = "pending|delivered|failed") String status,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit)
            throws SQLException {
        store.get(id);
        return Map.of("data", log.deliveries(id, status, limit));
    }

    @POST
    @Path("/{id}/replay")
    @Operation(summary = "Deliver again: the events of from_sequence..to_sequence, or failed_only")
    public Response replay(@PathParam("id") UUID id, @Valid ReplayRequest request) throws SQLException {
        requireBody(request);
        if (request.fromSequence() == null
                && request.toSequence() == null
                && !Boolean.TRUE.equals(request.failedOnly())) {
            throw ApiException.notProvided("from_sequence");
        }
        if (request.fromSequence() != null
                && request.toSequence() != null
                && request.fromSequence() > request.toSequence()) {
            throw ApiException.invalid("to_sequence", "it is below from_sequence");
        }
        store.get(id);
        return Response.accepted(Map.of("replayed", log.replay(id, request))).build();
    }

    private static void requireBody(Object body) {
        if (body == null) {
            throw new ApiException(400, "parameter_not_provided", "The request body is required.");
        }
    }

    /** Bean Validation checked the Full group's constraints only; the field constraints of Default too. */
    private static void full(SubscriptionRequest request) {
        if (request.url() == null || request.url().isBlank()) {
            throw ApiException.notProvided("url");
        }
        if (request.eventTypes() == null || request.eventTypes().isEmpty()) {
            throw ApiException.notProvided("event_types");
        }
    }
}
