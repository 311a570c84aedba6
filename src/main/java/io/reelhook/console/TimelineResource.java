package io.reelhook.console;

import io.reelhook.api.ApiException;
import io.reelhook.auth.Roles;
import io.reelhook.task.EventStore;
import io.reelhook.task.TaskStore;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;

/** The console's timeline of a task (docs/api.md); a read like the other {@code /api/v1} ones. */
@RolesAllowed(Roles.CLIENT)
@Path("/api/v1")
public class TimelineResource {

    private final TaskStore tasks;
    private final EventStore events;

    TimelineResource(TaskStore tasks, EventStore events) {
        this.tasks = tasks;
        this.events = events;
    }

    @GET
    @Path("/tasks/{task_id}/timeline")
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "A task, its reconciliation state and every event, applied or not, with raw notifications")
    public Timeline timeline(@PathParam("task_id") String taskId) {
        return tasks.find(taskId)
                .map(task -> Timeline.of(task, events.history(taskId).orElse(List.of())))
                .orElseThrow(
                        () -> new ApiException(404, "resource_not_exist", "There is no task with id " + taskId + "."));
    }
}
