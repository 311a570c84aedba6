package io.reelhook.media;

/** Why Twelve Labs would refuse a video, with Twelve Labs' own error code. */
public record MediaProblem(String code, String message) {}
