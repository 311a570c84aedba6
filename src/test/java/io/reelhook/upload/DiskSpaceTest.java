package io.reelhook.upload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class DiskSpaceTest {

    @TempDir
    Path directory;

    @Test
    void anUploadThatWouldEatIntoTheMarginIsRefused() throws Exception {
        long usable = Files.getFileStore(directory).getUsableSpace();
        assertThat(DiskSpace.shortfall(directory, 1024, 1024)).isEmpty();
        // wide margins: other processes write and delete files on the same disk while this runs
        assertThat(DiskSpace.shortfall(directory, 0, usable * 2)).isPresent();
        // the declared length counts: a margin that fits alone does not fit with the upload
        assertThat(DiskSpace.shortfall(directory, usable, usable / 2)).isPresent();
        assertThat(DiskSpace.shortfall(directory, 0, usable / 2)).isEmpty();
        assertThat(DiskSpace.shortfall(directory.resolve("made/on/demand"), 0, 0))
                .isEmpty();
    }
}
