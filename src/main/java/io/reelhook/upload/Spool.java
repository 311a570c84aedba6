package io.reelhook.upload;

import io.reelhook.twelvelabs.ChunkSource;
import io.reelhook.twelvelabs.Video;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An uploaded file on disk while it arrives. Every reader follows it from its start (or, for a multipart upload's
 * chunk, from its region's) and waits for bytes still to come, so the video goes upstream while it is received, and
 * a retry resends it. Closing deletes it.
 */
public final class Spool implements Video, ChunkSource, AutoCloseable {

    private static final String PREFIX = "upload-";
    private static final String SUFFIX = ".part";

    private final Path path;
    private final String filename;
    private final FileChannel out;
    private long size;
    private boolean complete;
    private IOException failure;

    private Spool(Path path, String filename) throws IOException {
        this.path = path;
        this.filename = filename;
        this.out = FileChannel.open(path, StandardOpenOption.WRITE);
    }

    public static Spool create(Path directory, String filename) throws IOException {
        Files.createDirectories(directory);
        return new Spool(Files.createTempFile(directory, PREFIX, SUFFIX), filename);
    }

    /** Deletes the spool files that a killed process left behind; returns how many. */
    public static int removeLeftovers(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        int removed = 0;
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(directory, PREFIX + "*" + SUFFIX)) {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
                removed++;
            }
        }
        return removed;
    }

    public void write(byte[] bytes, int offset, int length) throws IOException {
        ByteBuffer chunk = ByteBuffer.wrap(bytes, offset, length);
        while (chunk.hasRemaining()) {
            out.write(chunk);
        }
        synchronized (this) {
            size += length;
            notifyAll();
        }
    }

    public synchronized void complete() {
        complete = true;
        notifyAll();
    }

    /** Readers still waiting for bytes fail with {@code reason}. */
    public synchronized void fail(IOException reason) {
        if (!complete && failure == null) {
            failure = reason;
            notifyAll();
        }
    }

    public Path path() {
        return path;
    }

    public synchronized long size() {
        return size;
    }

    @Override
    public String filename() {
        return filename;
    }

    @Override
    public InputStream open() throws IOException {
        return new Follower(FileChannel.open(path, StandardOpenOption.READ));
    }

    @Override
    public void awaitLength(long length) throws IOException {
        if (length > 0 && waitBeyond(length - 1) < 0) {
            throw new EOFException("the upload ended after " + size() + " bytes, before " + length);
        }
    }

    @Override
    public InputStream open(long offset, long length) throws IOException {
        Follower region = new Follower(FileChannel.open(path, StandardOpenOption.READ));
        region.position = offset;
        return new ChunkSource.Region(region, length);
    }

    @Override
    public void close() throws IOException {
        fail(new IOException("the upload was closed before it was complete"));
        try {
            out.close();
        } finally {
            Files.deleteIfExists(path);
        }
    }

    /** Waits until the file holds more than {@code position} bytes; -1 once it is complete and read. */
    private synchronized long waitBeyond(long position) throws IOException {
        try {
            while (size <= position && !complete && failure == null) {
                wait();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the upload");
        }
        if (size > position) {
            return size - position;
        }
        if (failure != null) {
            throw new IOException(failure.getMessage(), failure);
        }
        return -1;
    }

    private final class Follower extends InputStream {

        private final FileChannel in;
        private long position;

        Follower(FileChannel in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            long available = waitBeyond(position);
            if (available < 0) {
                return -1;
            }
            int read = in.read(ByteBuffer.wrap(bytes, offset, (int) Math.min(length, available)), position);
            position += read;
            return read;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
