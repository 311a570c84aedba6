package io.reelhook.console;

import io.quarkus.panache.common.Sort;
import io.reelhook.api.ApiException;
import io.reelhook.auth.Roles;
import io.reelhook.task.Task;
import io.reelhook.task.TaskEvent;
import io.smallrye.common.annotation.Blocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The console's timeline of a task (docs/api.md); a read like the other {@code /api/v1} ones. */
@RolesAllowed(Roles.CLIENT)
@Path("/api/v1")
public class TimelineResource {

    @GET
    @Path("/tasks/{task_id}/timeline")
    @Produces(MediaType.APPLICATION_JSON)
    @Blocking
    @Transactional
    @Operation(summary = "A task, its reconciliation state and every event, applied or not, with raw notifications")
    public Timeline timeline(@PathParam("task_id") String taskId) {
        Task task = Task.findById(taskId);
        if (task == null) {
            throw new ApiException(404, "resource_not_exist", "There is no task with id " + taskId + ".");
        }
        return Timeline.of(task, TaskEvent.list("taskId", Sort.by("id"), taskId));
    }
}
