package io.reelhook.upload;

import org.jboss.resteasy.reactive.server.multipart.FileItem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An uploaded file on disk: ffprobe reads it and every retry re-sends it from the start. Quarkus spools file parts
 * while they stream in and deletes them when the request ends; a part it kept in memory is written out here and
 * deleted on close.
 */
final class SpooledFile implements AutoCloseable {

    private final Path path;
    private final boolean ours;

    private SpooledFile(Path path, boolean ours) {
        this.path = path;
        this.ours = ours;
    }

    static SpooledFile of(FileItem item) {
        if (!item.isInMemory()) {
            return new SpooledFile(item.getFile(), false);
        }
        try {
            Path copy = Files.createTempFile("reelhook-upload", ".part");
            item.write(copy);
            return new SpooledFile(copy, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path path() {
        return path;
    }

    long size() {
        try {
            return Files.size(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        if (ours) {
            try {
                Files.deleteIfExists(path);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
