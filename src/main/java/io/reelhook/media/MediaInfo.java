package io.reelhook.media;

/** What ffprobe reads from a video: duration in seconds and the first video stream's size. */
public record MediaInfo(double duration, int width, int height) {}
