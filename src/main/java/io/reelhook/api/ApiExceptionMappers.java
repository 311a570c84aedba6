package io.reelhook.api;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.stream.Collectors;

/** Every error leaves as Twelve Labs' {@code {"code","message"}}, including the framework's own. */
public class ApiExceptionMappers {

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return e.toResponse();
    }

    @ServerExceptionMapper
    public Response unsupported(NotSupportedException e) {
        return new ApiException(415, "unsupported_media_type",
                "The request body must be multipart/form-data.").toResponse();
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        return new ApiException(404, "resource_not_exist", "The requested resource does not exist.").toResponse();
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e) {
        return new ApiException(405, "method_not_allowed", "This method is not allowed on this resource.").toResponse();
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        String why = e.getConstraintViolations().stream()
                .map(v -> lastNode(v) + " " + v.getMessage())
                .sorted().collect(Collectors.joining("; "));
        return new ApiException(400, "parameter_invalid", "Invalid parameters: " + why).toResponse();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return new ApiException(status, status == 413 ? "request_too_large" : "http_" + status, e.getMessage())
                .toResponse();
    }

    private static String lastNode(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        return path.substring(path.lastIndexOf('.') + 1);
    }
}
