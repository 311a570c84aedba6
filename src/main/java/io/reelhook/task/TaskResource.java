package io.reelhook.task;

import io.reelhook.api.ApiException;
import io.reelhook.api.QueryParams;
import io.reelhook.auth.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import java.util.List;

/**
 * Twelve Labs-compatible task reads, answered from PostgreSQL: a polling client never spends Twelve Labs' rate
 * limit.
 */
@RolesAllowed(Roles.CLIENT)
@Path("/v1.3/tasks")
@Produces(MediaType.APPLICATION_JSON)
public class TaskResource {

    private static final int MAX_PAGE_LIMIT = 50;

    private final TaskStore tasks;

    public TaskResource(TaskStore tasks) {
        this.tasks = tasks;
    }

    @GET
    @Path("/{taskId}")
    @Operation(summary = "Retrieve a task")
    public TaskView get(@PathParam("taskId") String taskId) {
        return tasks.find(taskId)
                .map(TaskView::of)
                .orElseThrow(
                        () -> new ApiException(404, "resource_not_exist", "There is no task with id " + taskId + "."));
    }

    @GET
    @Operation(summary = "List tasks")
    public TaskPage list(
            @QueryParam("page") @Parameter(schema = @Schema(type = SchemaType.INTEGER, minimum = "1")) String pageParam,
            @QueryParam("page_limit")
                    @Parameter(
                            schema =
                                    @Schema(
                                            type = SchemaType.INTEGER,
                                            minimum = "1",
                                            maximum = "50",
                                            defaultValue = "10"))
                    String pageLimitParam,
            @QueryParam("index_id") String indexIdParam,
            @QueryParam("status") List<String> statuses,
            @QueryParam("filename") String filenameParam,
            @QueryParam("sort_by")
                    @Parameter(
                            schema =
                                    @Schema(
                                            enumeration = {"created_at", "updated_at"},
                                            defaultValue = "created_at"))
                    String sortByParam,
            @QueryParam("sort_option")
                    @Parameter(
                            schema =
                                    @Schema(
                                            enumeration = {"desc", "asc"},
                                            defaultValue = "desc"))
                    String sortOptionParam) {
        int pageLimit = QueryParams.intIn("page_limit", pageLimitParam, 10, 1, MAX_PAGE_LIMIT);
        // the row offset, (page - 1) * page_limit, must stay an int
        int page = QueryParams.intIn("page", pageParam, 1, 1, Integer.MAX_VALUE / pageLimit);
        String sortBy = QueryParams.oneOf("sort_by", sortByParam, List.of("created_at", "updated_at"));
        String sortOption = QueryParams.oneOf("sort_option", sortOptionParam, List.of("desc", "asc"));
        String indexId = QueryParams.text("index_id", indexIdParam);
        String filename = QueryParams.text("filename", filenameParam);
        List<String> statusFilter = statuses == null ? List.of() : statuses;
        for (String status : statusFilter) {
            TaskStatus.parse(status)
                    .orElseThrow(() -> ApiException.invalid("status", "unknown status '" + status + "'."));
        }
        TaskStore.Page found = tasks.list(
                new TaskStore.Query(indexId, statusFilter, filename, sortBy, "asc".equals(sortOption)),
                page,
                pageLimit);
        long total = found.total();
        List<TaskView> data = found.tasks().stream().map(TaskView::of).toList();
        return new TaskPage(data, new TaskPage.PageInfo(page, pageLimit, (total + pageLimit - 1) / pageLimit, total));
    }
}
