package io.reelhook.api;

/** Twelve Labs' error body, used for every error of Reelhook's API. */
public record ApiError(String code, String message) {
}
