package io.reelhook.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelhook.api.ApiException;
import io.reelhook.auth.Roles;
import io.reelhook.task.EventFilter;
import io.reelhook.task.EventStore;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** The live stream of all events over Server-Sent Events, with replay from PostgreSQL. */
@RolesAllowed(Roles.CLIENT)
@Path("/api/v1")
public class StreamResource {

    private final EventStore store;
    private final EventBroadcaster broadcaster;
    private final ObjectMapper json;

    public StreamResource(EventStore store, EventBroadcaster broadcaster, ObjectMapper json) {
        this.store = store;
        this.broadcaster = broadcaster;
        this.json = json;
    }

    @GET
    @Path("/events/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    @Operation(summary = "Sequenced events as Server-Sent Events: replay after Last-Event-ID (or ?after=), then live")
    public Multi<OutboundSseEvent> stream(
            @QueryParam("type") String type,
            @QueryParam("task_id") String taskId,
            @QueryParam("index_id") String indexId,
            @QueryParam("asset_id") String assetId,
            @Parameter(description = "replay events after this sequence") @QueryParam("after") String after,
            @HeaderParam("Last-Event-ID") String lastEventId,
            @Context Sse sse) {
        Long from = lastEventId != null ? sequence("Last-Event-ID", lastEventId) : sequence("after", after);
        return broadcaster.stream(from, new EventFilter(type, taskId, indexId, assetId))
                .map(event -> sse.newEventBuilder()
                        .id(event.sequence().toString())
                        .name(event.type())
                        .data(event.json(json))
                        .build());
    }

    /**
     * A resume point: a sequence from 0 to the latest committed one. One beyond the latest is refused instead of
     * waiting silently: it comes from another database, or from a client that made it up.
     */
    private Long sequence(String name, String value) {
        if (value == null) {
            return null;
        }
        long sequence;
        try {
            sequence = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.invalid(name, "it must be an event sequence number.");
        }
        if (sequence < 0) {
            throw ApiException.invalid(name, "it must not be negative.");
        }
        long latest = store.maxSequence();
        if (sequence > latest) {
            throw ApiException.invalid(name, sequence + " is beyond the latest event's sequence (" + latest + ").");
        }
        return sequence;
    }
}
