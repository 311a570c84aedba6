package io.reelhook.outbox;

import io.reelhook.api.ApiException;
import io.reelhook.auth.Roles;
import io.reelhook.task.EventStore;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Re-sends stored events (same event_id, sequence order, per task one after another) for a consumer that lost data.
 * Needs an admin key; the outbox itself is left alone.
 */
@RolesAllowed(Roles.ADMIN)
@Path("/api/v1/admin/republish")
public class RepublishResource {

    @Inject
    EventStore store;

    @Inject
    KafkaPublisher publisher;

    @Inject
    OutboxConfig config;

    @POST
    @Blocking
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Re-publish stored events by sequence range, task or asset")
    public Response republish(
            @QueryParam("from_sequence") Long from,
            @QueryParam("to_sequence") Long to,
            @QueryParam("task_id") String taskId,
            @QueryParam("asset_id") String assetId)
            throws InterruptedException {
        if (from == null && to == null && taskId == null && assetId == null) {
            throw ApiException.notProvided("from_sequence, to_sequence, task_id or asset_id");
        }
        long sent = 0;
        long after = Long.MIN_VALUE;
        List<EventStore.Stored> page;
        do {
            page = store.sequenced(from, to, taskId, assetId, after, config.batchSize());
            if (page.isEmpty()) {
                break;
            }
            try {
                KafkaPublisher.Delivery delivery =
                        publisher.publishInTaskOrder(page).toCompletableFuture().get(1, TimeUnit.MINUTES);
                sent += delivery.acked().size();
                if (delivery.failure() != null) {
                    throw unavailable(sent, delivery.failure());
                }
            } catch (ExecutionException | TimeoutException e) {
                throw unavailable(sent, e);
            }
            after = page.get(page.size() - 1).message().sequence();
        } while (page.size() == config.batchSize());
        return Response.ok(Map.of("republished", sent)).build();
    }

    private static ApiException unavailable(long sent, Throwable failure) {
        return new ApiException(
                503,
                "kafka_unavailable",
                "Re-published " + sent + " events, then Kafka failed: " + failure.getMessage());
    }
}
