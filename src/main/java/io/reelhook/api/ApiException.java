package io.reelhook.api;

import jakarta.ws.rs.core.Response;

import java.util.Map;

/** An error answered as {@code {"code","message"}} with an HTTP status (and optional headers). */
public class ApiException extends RuntimeException {

    private final int status;
    private final String code;
    private final Map<String, String> headers;

    public ApiException(int status, String code, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.headers = headers;
    }

    public ApiException(int status, String code, String message) {
        this(status, code, message, Map.of());
    }

    public static ApiException notProvided(String field) {
        return new ApiException(
                400, "parameter_not_provided", "The " + field + " parameter is required but was not provided.");
    }

    public static ApiException invalid(String field, String why) {
        return new ApiException(400, "parameter_invalid", "The " + field + " parameter is invalid: " + why);
    }

    public Response toResponse() {
        Response.ResponseBuilder response =
                Response.status(status).type("application/json").entity(new ApiError(code, getMessage()));
        headers.forEach(response::header);
        return response.build();
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }
}
