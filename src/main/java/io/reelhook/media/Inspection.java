package io.reelhook.media;

import java.util.Optional;

/**
 * What {@link MediaInspector#inspect} found: what ffprobe read (empty without ffprobe, or when the file is too
 * large or unreadable) and the first of Twelve Labs' limits the file breaks, if any.
 */
public record Inspection(Optional<MediaInfo> info, Optional<MediaProblem> problem) {}
