package io.reelhook.events;

import jakarta.annotation.security.RolesAllowed;
import io.reelhook.auth.Roles;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelhook.api.ApiException;
import io.reelhook.task.Task;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.mutiny.Multi;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import java.util.List;

/** Subscription over HTTP: a task's event history, and the live stream of all events with replay. */
@RolesAllowed(Roles.CLIENT)
@Path("/api/v1")
public class EventResource {

    @Inject
    EventStore store;

    @Inject
    EventBroadcaster broadcaster;

    @Inject
    ObjectMapper json;

    @GET
    @Path("/tasks/{task_id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    @Transactional
    @Operation(summary = "Reelhook's view of a task: status, reconciliation and events")
    public TaskDetails task(@PathParam("task_id") String taskId) {
        Task task = Task.findById(taskId);
        if (task == null) {
            throw new ApiException(404, "resource_not_exist", "There is no task with id " + taskId + ".");
        }
        return TaskDetails.of(task, store.ofTask(taskId).orElse(List.of()));
    }

    @GET
    @Path("/tasks/{task_id}/events")
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "A task's events, oldest first")
    public List<EventMessage> history(@PathParam("task_id") String taskId) {
        return store.ofTask(taskId).orElseThrow(() -> new ApiException(404, "resource_not_exist",
                "There is no task with id " + taskId + "."));
    }

    @GET
    @Path("/events/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @Blocking
    @Operation(summary = "Sequenced events as Server-Sent Events: replay after Last-Event-ID (or ?after=), then live")
    public Multi<OutboundSseEvent> stream(@QueryParam("type") String type, @QueryParam("task_id") String taskId,
            @QueryParam("index_id") String indexId,
            @Parameter(description = "replay events after this sequence") @QueryParam("after") String after,
            @HeaderParam("Last-Event-ID") String lastEventId, @Context Sse sse) {
        Long from = lastEventId != null ? sequence("Last-Event-ID", lastEventId) : sequence("after", after);
        return broadcaster.stream(from, new EventFilter(type, taskId, indexId))
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
