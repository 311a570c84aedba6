package io.reelhook.media;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Checks a video file against Twelve Labs' limits with ffprobe, so that a bad file fails in seconds instead of
 * costing an upload. Without ffprobe on the PATH only the size is checked (logged once at start-up).
 */
@ApplicationScoped
public class MediaInspector {

    private static final Logger LOG = Logger.getLogger(MediaInspector.class);

    @Inject
    MediaLimits limits;

    @Inject
    ObjectMapper json;

    /** Whether ffprobe runs here; looked for beside the start (a process spawn), awaited by the first probe. */
    private volatile CompletableFuture<Boolean> ffprobe = CompletableFuture.completedFuture(false);

    void onStart(@Observes StartupEvent start) {
        if (!limits.probe()) {
            LOG.info("reelhook.media.probe=false: uploads are checked for size only");
            return;
        }
        ffprobe = CompletableFuture.supplyAsync(() -> {
            boolean found = installed("ffprobe");
            if (!found) {
                LOG.warn("ffprobe is not on the PATH: uploads are checked for size only, not for duration, "
                        + "resolution or readability (install Debian's ffmpeg package to enable these checks)");
            }
            return found;
        });
    }

    public Optional<MediaProblem> checkSize(long bytes) {
        return checkSize(bytes, limits.maxFileSize());
    }

    private static Optional<MediaProblem> checkSize(long bytes, long limit) {
        if (bytes > limit) {
            return Optional.of(new MediaProblem(
                    "video_filesize_too_large",
                    "The video file is " + bytes + " bytes; the limit is " + limit + " bytes."));
        }
        return Optional.empty();
    }

    /** Checks a video for a task ({@code POST /tasks}, up to its size limit); see {@link #inspect(Path, long)}. */
    public Inspection inspect(Path file) {
        return inspect(file, limits.maxFileSize());
    }

    /**
     * Checks a file against {@code maxSize} (an asset's limit is not a task's) and, where ffprobe runs, readability,
     * duration and resolution.
     */
    public Inspection inspect(Path file, long maxSize) {
        try {
            Optional<MediaProblem> tooLarge = checkSize(Files.size(file), maxSize);
            if (tooLarge.isPresent()) {
                return new Inspection(Optional.empty(), tooLarge);
            }
            Optional<MediaInfo> info = probe(file);
            return new Inspection(info, info.flatMap(this::check));
        } catch (IOException | BrokenVideoException unreadable) {
            return new Inspection(
                    Optional.empty(),
                    Optional.of(new MediaProblem(
                            "video_file_broken",
                            "The video file could not be read as a video (no decodable video stream).")));
        }
    }

    /** Returns what ffprobe read, or empty when ffprobe is unavailable. */
    Optional<MediaInfo> probe(Path file) throws BrokenVideoException {
        if (!ffprobe.join()) {
            return Optional.empty();
        }
        Path out = null;
        Process process = null;
        try {
            // stdout goes to a file, so that the timeout runs while ffprobe does; only the spooled file is read,
            // named so that nothing in its name ("concat:", "http:") can make ffprobe open anything else
            out = Files.createTempFile("reelhook-ffprobe-", ".json");
            process = new ProcessBuilder(
                            "ffprobe",
                            "-v",
                            "error",
                            "-protocol_whitelist",
                            "file",
                            "-print_format",
                            "json",
                            "-show_format",
                            "-show_streams",
                            "file:" + file.toAbsolutePath())
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectOutput(out.toFile())
                    .start();
            if (!process.waitFor(limits.probeTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warnf("ffprobe took longer than %s on %s: taken as unreadable", limits.probeTimeout(), file);
                throw new BrokenVideoException();
            }
            JsonNode probed = process.exitValue() == 0 ? json.readTree(out.toFile()) : null;
            if (probed == null) {
                throw new BrokenVideoException();
            }
            for (JsonNode stream : probed.path("streams")) {
                if ("video".equals(stream.path("codec_type").asText())
                        && stream.path("width").asInt() > 0
                        && probed.path("format").hasNonNull("duration")) {
                    return Optional.of(new MediaInfo(
                            probed.path("format").path("duration").asDouble(),
                            stream.path("width").asInt(),
                            stream.path("height").asInt()));
                }
            }
            throw new BrokenVideoException();
        } catch (IOException e) {
            throw new BrokenVideoException();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BrokenVideoException();
        } finally {
            if (process != null && process.isAlive()) {
                process.destroyForcibly();
            }
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException e) {
                    LOG.debugf("could not delete %s: %s", out, e.getMessage());
                }
            }
        }
    }

    private Optional<MediaProblem> check(MediaInfo info) {
        double seconds = info.duration();
        if (seconds < limits.minDuration().toMillis() / 1000.0) {
            return Optional.of(new MediaProblem(
                    "video_duration_too_short",
                    "The video is " + seconds + " s long; the minimum is "
                            + limits.minDuration().toSeconds() + " s."));
        }
        if (seconds > limits.maxDuration().toMillis() / 1000.0) {
            return Optional.of(new MediaProblem(
                    "video_duration_too_long",
                    "The video is " + seconds + " s long; the maximum is "
                            + limits.maxDuration().toSeconds() + " s."));
        }
        int shortSide = Math.min(info.width(), info.height());
        int longSide = Math.max(info.width(), info.height());
        String size = info.width() + "x" + info.height();
        if (shortSide < limits.minSide()) {
            return Optional.of(new MediaProblem(
                    "video_resolution_too_low",
                    "The video is " + size + "; both sides must be at least " + limits.minSide() + " px."));
        }
        if (longSide > limits.maxLongSide() || shortSide > limits.maxShortSide()) {
            return Optional.of(new MediaProblem(
                    "video_resolution_too_high",
                    "The video is " + size + "; the maximum is " + limits.maxLongSide() + "x" + limits.maxShortSide()
                            + "."));
        }
        return Optional.empty();
    }

    /** Whether {@code tool -version} runs: ffmpeg's tools are optional at run time. */
    public static boolean installed(String tool) {
        try {
            Process process = new ProcessBuilder(tool, "-version")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return process.waitFor(10, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** ffprobe could not read the file as a video. */
    static final class BrokenVideoException extends Exception {
        BrokenVideoException() {
            super(null, null, false, false);
        }
    }
}
