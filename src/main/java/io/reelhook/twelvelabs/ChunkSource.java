package io.reelhook.twelvelabs;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A file that can be read by region while it still arrives (the upload's spool on disk), so that each chunk of a
 * multipart upload is streamed from it, and streamed again for a retry, without being held in memory.
 *
 * <p>Both methods block for bytes still to come. They must give up with an {@link java.io.InterruptedIOException}
 * when their thread is interrupted (that is how an aborted upload stops its readers), and fail with the source's own
 * exception once the source has failed (client cut off, media check refused the file): {@link ChunkedUpload} hands
 * that exception to its caller as it is.
 */
public interface ChunkSource {

    /**
     * Returns once the source holds at least {@code length} bytes from its start. Throws {@link java.io.EOFException}
     * when the source is complete with fewer, and the source's failure when it has failed.
     */
    void awaitLength(long length) throws IOException;

    /**
     * The bytes {@code [offset, offset + length)}: a stream that ends after {@code length} bytes and whose reads
     * wait for bytes still to come. Each call opens an independent reader; closing it releases only that reader.
     */
    InputStream open(long offset, long length) throws IOException;

    /** A file that is already whole: nothing to wait for. */
    static ChunkSource of(Path file) {
        return new ChunkSource() {
            @Override
            public void awaitLength(long length) throws IOException {
                long size = Files.size(file);
                if (size < length) {
                    throw new EOFException(file + " has " + size + " bytes, not " + length);
                }
            }

            @Override
            public InputStream open(long offset, long length) throws IOException {
                FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
                return new Region(Channels.newInputStream(channel.position(offset)), length);
            }
        };
    }

    /** The first {@code length} bytes of a stream; closing it closes the stream. */
    final class Region extends InputStream {

        private final InputStream in;
        private long left;

        public Region(InputStream in, long length) {
            this.in = in;
            this.left = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            if (left <= 0) {
                return -1;
            }
            int n = in.read(bytes, offset, (int) Math.min(length, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
