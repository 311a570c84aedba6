package io.reelhook.events;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** Twelve Labs' error body, {@code {"code","message"}}. */
record ApiError(String code, String message) {

    static Response response(Response.Status status, String code, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ApiError(code, message)).build();
    }
}
