package io.reelhook.task;

import io.reelhook.api.ApiException;
import io.reelhook.auth.Roles;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.List;

/** Reelhook's own view of a task, and its event history. */
@RolesAllowed(Roles.CLIENT)
@Path("/api/v1")
public class TaskEventsResource {

    private final EventStore store;
    private final TaskStore tasks;

    public TaskEventsResource(EventStore store, TaskStore tasks) {
        this.store = store;
        this.tasks = tasks;
    }

    @GET
    @Path("/tasks/{task_id}")
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "Reelhook's view of a task: status, reconciliation and events")
    public TaskDetails task(@PathParam("task_id") String taskId) {
        Task task = tasks.find(taskId)
                .orElseThrow(
                        () -> new ApiException(404, "resource_not_exist", "There is no task with id " + taskId + "."));
        return TaskDetails.of(task, store.ofTask(taskId).orElse(List.of()));
    }

    @GET
    @Path("/tasks/{task_id}/events")
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    @Operation(summary = "A task's events, oldest first")
    public List<EventMessage> history(@PathParam("task_id") String taskId) {
        return store.ofTask(taskId)
                .orElseThrow(
                        () -> new ApiException(404, "resource_not_exist", "There is no task with id " + taskId + "."));
    }
}
