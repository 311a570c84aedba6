package io.reelhook.api;

import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;

/** Twelve Labs' error body, used for every error of Reelhook's API. */
public record ApiError(String code, String message) {

    /** Ends a Vert.x response with this error: for the guards that answer before the request body is read. */
    public void end(HttpServerResponse response, int status) {
        response.setStatusCode(status)
                .putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("code", code).put("message", message).encode());
    }
}
