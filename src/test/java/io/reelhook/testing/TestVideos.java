package io.reelhook.testing;

import io.reelhook.media.MediaInspector;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** Small videos made with ffmpeg (Debian's ffmpeg package), cached per shape for the test run. */
public final class TestVideos {

    private static final ConcurrentHashMap<String, Path> MADE = new ConcurrentHashMap<>();
    private static final boolean FFMPEG = MediaInspector.installed("ffmpeg") && MediaInspector.installed("ffprobe");

    private TestVideos() {}

    public static boolean available() {
        return FFMPEG;
    }

    /** Skips the calling test, visibly, where ffmpeg/ffprobe are not installed (CI installs them). */
    public static void assumeAvailable() {
        Assumptions.assumeTrue(
                FFMPEG,
                "ffmpeg/ffprobe not on the PATH: media checks are off, test skipped "
                        + "(apt-get install ffmpeg, as .ci/run does)");
    }

    /** A video that passes Twelve Labs' checks; without ffmpeg, bytes that only the size check sees. */
    public static Path valid() {
        return FFMPEG ? make(640, 360, 5) : randomBytes(64 * 1024);
    }

    public static Path make(int width, int height, int seconds) {
        return MADE.computeIfAbsent(width + "x" + height + "x" + seconds, key -> {
            try {
                Path out = Files.createTempFile("reelhook-test-" + key, ".mp4");
                Process ffmpeg = new ProcessBuilder(
                                "ffmpeg",
                                "-y",
                                "-v",
                                "error",
                                "-f",
                                "lavfi",
                                "-i",
                                "testsrc=size=" + width + "x" + height + ":rate=10",
                                "-f",
                                "lavfi",
                                "-i",
                                "sine",
                                "-t",
                                Integer.toString(seconds),
                                "-shortest",
                                "-pix_fmt",
                                "yuv420p",
                                out.toString())
                        .inheritIO()
                        .start();
                if (!ffmpeg.waitFor(120, TimeUnit.SECONDS) || ffmpeg.exitValue() != 0) {
                    throw new IllegalStateException("ffmpeg failed to make " + key);
                }
                return out;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    public static Path randomBytes(int size) {
        try {
            byte[] bytes = new byte[size];
            new Random(size).nextBytes(bytes);
            Path file = Files.createTempFile("reelhook-test-bytes", ".bin");
            Files.write(file, bytes);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
