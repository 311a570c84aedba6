package io.reelhook.upload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Whether an upload of some length still leaves the spool directory's disk its margin of free space. */
final class DiskSpace {

    private DiskSpace() {}

    /** Why an upload of {@code declared} bytes (0 when unknown) cannot be spooled, or empty when it can. */
    static Optional<String> shortfall(Path directory, long declared, long margin) throws IOException {
        Files.createDirectories(directory);
        long usable = Files.getFileStore(directory).getUsableSpace();
        if (usable - Math.max(0, declared) < margin) {
            return Optional.of("The server has too little free disk space for this upload (" + usable
                    + " bytes usable, " + margin + " kept free). Try again later.");
        }
        return Optional.empty();
    }
}
