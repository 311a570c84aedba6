package io.reelhook.upload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpoolTest {

    @TempDir
    Path directory;

    @Test
    void aReaderFollowsTheFileAsItGrowsUntilItIsComplete() throws Exception {
        try (Spool spool = Spool.create(directory, "v.mp4")) {
            CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
                try (InputStream in = spool.open()) {
                    return in.readAllBytes();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            spool.write(bytes("first "), 0, 6);
            Thread.sleep(50);
            assertThat(read).isNotDone();
            spool.write(bytes("second"), 0, 6);
            spool.complete();
            assertThat(read.get(5, TimeUnit.SECONDS)).isEqualTo(bytes("first second"));
            // a retry reads it again from the start
            try (InputStream again = spool.open()) {
                assertThat(again.readAllBytes()).isEqualTo(bytes("first second"));
            }
        }
        assertThat(directory).isEmptyDirectory();
    }

    @Test
    void aWaitingReaderFailsWhenTheUploadFails() throws Exception {
        try (Spool spool = Spool.create(directory, "v.mp4");
                InputStream in = spool.open()) {
            spool.write(bytes("part"), 0, 4);
            spool.fail(new IOException("client went away"));
            assertThat(in.readNBytes(4)).isEqualTo(bytes("part"));
            assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessage("client went away");
        }
    }

    @Test
    void leftoversOfAKilledProcessAreRemovedAndNothingElse() throws IOException {
        Spool.create(directory, "left.mp4"); // never closed, as by a process that was killed
        Files.writeString(directory.resolve("notes.txt"), "keep");

        assertThat(Spool.removeLeftovers(directory)).isEqualTo(1);
        assertThat(directory)
                .isDirectoryContaining(p -> p.getFileName().toString().equals("notes.txt"));
        try (var files = Files.list(directory)) {
            assertThat(files).hasSize(1);
        }
        assertThat(Spool.removeLeftovers(directory.resolve("missing"))).isZero();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
