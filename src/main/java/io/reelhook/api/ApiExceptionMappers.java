package io.reelhook.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.reelhook.twelvelabs.UpstreamException;
import io.reelhook.twelvelabs.UpstreamUnavailableException;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import java.util.Map;
import java.util.stream.Collectors;

/** Every error leaves as Twelve Labs' {@code {"code","message"}}, including the framework's own. */
public class ApiExceptionMappers {

    static final String KEY_INVALID = "The x-api-key header is missing or holds an unknown key.";

    @ServerExceptionMapper
    public Response api(ApiException e) {
        return e.toResponse();
    }

    @ServerExceptionMapper
    public Response upstream(UpstreamException e) {
        return ((ApiException) UpstreamFailures.answer(e)).toResponse();
    }

    @ServerExceptionMapper
    public Response upstreamUnavailable(UpstreamUnavailableException e) {
        return ((ApiException) UpstreamFailures.answer(e)).toResponse();
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e) {
        return new ApiException(401, "api_key_invalid", KEY_INVALID).toResponse();
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e) {
        return new ApiException(401, "api_key_invalid", KEY_INVALID).toResponse();
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e) {
        return new ApiException(403, "forbidden", "The API key is valid but may not use this endpoint.").toResponse();
    }

    @ServerExceptionMapper
    public Response unsupported(NotSupportedException e) {
        return new ApiException(415, "unsupported_media_type", "The request body must be multipart/form-data.")
                .toResponse();
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e) {
        if (e.getCause() != null) {
            // a path or query parameter that could not be converted to its type
            return new ApiException(
                            400,
                            "parameter_invalid",
                            "A parameter is invalid: " + e.getCause().getMessage())
                    .toResponse();
        }
        return new ApiException(404, "resource_not_exist", "The requested resource does not exist.").toResponse();
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e) {
        String allow = e.getResponse().getHeaderString(HttpHeaders.ALLOW);
        return new ApiException(
                        405,
                        "method_not_allowed",
                        "This method is not allowed on this resource.",
                        allow == null ? Map.of() : Map.of(HttpHeaders.ALLOW, allow))
                .toResponse();
    }

    @ServerExceptionMapper
    public Response notAcceptable(NotAcceptableException e) {
        return new ApiException(406, "not_acceptable", "This resource cannot answer in the requested media type.")
                .toResponse();
    }

    @ServerExceptionMapper
    public Response badRequest(BadRequestException e) {
        return new ApiException(400, "parameter_invalid", "The request is invalid: " + e.getMessage()).toResponse();
    }

    @ServerExceptionMapper
    public Response badJson(JsonProcessingException e) {
        return new ApiException(
                        400, "parameter_invalid", "The request body is not valid JSON: " + e.getOriginalMessage())
                .toResponse();
    }

    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e) {
        return badJson(e);
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException e) {
        String why = e.getConstraintViolations().stream()
                .map(v -> lastNode(v) + " " + v.getMessage())
                .sorted()
                .collect(Collectors.joining("; "));
        return new ApiException(400, "parameter_invalid", "Invalid parameters: " + why).toResponse();
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            return Failures.unexpected(e).toResponse();
        }
        if (status == 400) {
            // e.g. a body that the JSON reader could not read
            Throwable cause = e.getCause();
            return new ApiException(
                            400,
                            "parameter_invalid",
                            "The request is invalid: "
                                    + (cause instanceof JsonProcessingException json
                                            ? json.getOriginalMessage()
                                            : e.getMessage()))
                    .toResponse();
        }
        return new ApiException(status, status == 413 ? "request_too_large" : "http_" + status, e.getMessage())
                .toResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e) {
        return Failures.unexpected(e).toResponse();
    }

    private static String lastNode(ConstraintViolation<?> violation) {
        String path = violation.getPropertyPath().toString();
        return path.substring(path.lastIndexOf('.') + 1);
    }
}
