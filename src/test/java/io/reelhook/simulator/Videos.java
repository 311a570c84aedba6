package io.reelhook.simulator;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Test videos: the shipped sample, and videos made on the spot with ffmpeg where it is installed. */
final class Videos {

    /** 640x360, 5 s, with sound (34 KB); made with the ffmpeg line in the README. */
    static final Path SAMPLE = Path.of("samples/sample.mp4");

    private Videos() {
    }

    /** A test-pattern video; the calling test is skipped, visibly, without ffmpeg and ffprobe. */
    static Path make(String size, int seconds) throws IOException, InterruptedException {
        requireFfmpeg();
        Path out = Files.createTempFile("reelhook-test-", ".mp4");
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i",
                "testsrc=size=" + size + ":rate=25", "-f", "lavfi", "-i", "sine", "-t", Integer.toString(seconds),
                "-shortest", out.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!ffmpeg.waitFor(60, TimeUnit.SECONDS) || ffmpeg.exitValue() != 0) {
            throw new IllegalStateException("ffmpeg could not make a " + size + " test video");
        }
        out.toFile().deleteOnExit();
        return out;
    }

    static void requireFfmpeg() {
        Assumptions.assumeTrue(onPath("ffmpeg") && onPath("ffprobe"),
                "ffmpeg/ffprobe are not on the PATH: skipping this media test (install Debian's ffmpeg package)");
    }

    private static boolean onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, tool)));
    }
}
