package io.reelhook.media;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.reelhook.testing.TestVideos;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class MediaInspectorTest {

    @TempDir
    Path directory;

    @Test
    void probeTimeoutFiresWhileFfprobeRuns() {
        TestVideos.assumeAvailable();
        Path video = TestVideos.valid();
        assertThat(inspector(Duration.ofSeconds(60)).inspect(video).info()).isPresent();
        // far shorter than ffprobe needs: it is stopped and the file taken as unreadable
        Inspection cut = inspector(Duration.ofMillis(1)).inspect(video);
        assertThat(cut.info()).isEmpty();
        assertThat(cut.problem()).hasValueSatisfying(p -> assertThat(p.code()).isEqualTo("video_file_broken"));
    }

    @Test
    void aFileNamedLikeAProtocolIsReadAsTheFile() throws Exception {
        TestVideos.assumeAvailable();
        Path named = directory.resolve("concat:x.mp4");
        Files.copy(TestVideos.valid(), named);
        assertThat(inspector(Duration.ofSeconds(60)).inspect(named).info()).isPresent();
    }

    private static MediaInspector inspector(Duration timeout) {
        MediaInspector inspector = new MediaInspector();
        inspector.json = new ObjectMapper();
        inspector.limits = new MediaLimits() {
            public boolean probe() {
                return true;
            }

            public Duration probeTimeout() {
                return timeout;
            }

            public long maxFileSize() {
                return 2147483648L;
            }

            public Duration minDuration() {
                return Duration.ofSeconds(4);
            }

            public Duration maxDuration() {
                return Duration.ofHours(2);
            }

            public int minSide() {
                return 360;
            }

            public int maxLongSide() {
                return 3840;
            }

            public int maxShortSide() {
                return 2160;
            }
        };
        inspector.onStart(null);
        return inspector;
    }
}
