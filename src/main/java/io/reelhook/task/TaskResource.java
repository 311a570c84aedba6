package io.reelhook.task;

import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.reelhook.api.ApiException;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

import java.util.ArrayList;
import java.util.List;

/**
 * Twelve Labs-compatible task reads, answered from PostgreSQL: a polling client never spends Twelve Labs' rate
 * limit.
 */
@Path("/v1.3/tasks")
@Produces(MediaType.APPLICATION_JSON)
public class TaskResource {

    @GET
    @Path("/{taskId}")
    @Operation(summary = "Retrieve a task")
    public TaskView get(@PathParam("taskId") String taskId) {
        Task task = Task.findById(taskId);
        if (task == null) {
            throw new ApiException(404, "resource_not_exist", "There is no task with id " + taskId + ".");
        }
        return TaskView.of(task);
    }

    @GET
    @Operation(summary = "List tasks")
    public TaskPage list(
            @QueryParam("page") @DefaultValue("1") @Min(1) int page,
            @QueryParam("page_limit") @DefaultValue("10") @Min(1) @Max(50) int pageLimit,
            @QueryParam("index_id") String indexId,
            @QueryParam("status") List<String> statuses,
            @QueryParam("filename") String filename,
            @QueryParam("sort_by") @DefaultValue("created_at") @Pattern(regexp = "created_at|updated_at") String sortBy,
            @QueryParam("sort_option") @DefaultValue("desc") @Pattern(regexp = "asc|desc") String sortOption) {
        List<String> where = new ArrayList<>();
        Parameters parameters = new Parameters();
        if (indexId != null) {
            where.add("indexId = :indexId");
            parameters.and("indexId", indexId);
        }
        if (statuses != null && !statuses.isEmpty()) {
            for (String status : statuses) {
                TaskStatus.parse(status).orElseThrow(() -> ApiException.invalid("status", "unknown status '" + status + "'."));
            }
            where.add("status in :statuses");
            parameters.and("statuses", statuses);
        }
        if (filename != null) {
            where.add("filename = :filename");
            parameters.and("filename", filename);
        }
        Sort sort = Sort.by("created_at".equals(sortBy) ? "createdAt" : "updatedAt",
                "asc".equals(sortOption) ? Sort.Direction.Ascending : Sort.Direction.Descending).and("id");
        var query = where.isEmpty() ? Task.<Task>findAll(sort)
                : Task.<Task>find(String.join(" and ", where), sort, parameters);
        long total = query.count();
        List<TaskView> data = query.page(Page.of(page - 1, pageLimit)).list().stream().map(TaskView::of).toList();
        return new TaskPage(data, new TaskPage.PageInfo(page, pageLimit, (total + pageLimit - 1) / pageLimit, total));
    }
}
