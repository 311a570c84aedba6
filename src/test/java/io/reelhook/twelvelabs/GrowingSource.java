package io.reelhook.twelvelabs;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/** A file in memory that "arrives" as the test says, and fails when told to: what the spool is to the engine. */
final class GrowingSource implements ChunkSource {

    private final byte[] bytes;
    private long available;
    private IOException failure;
    private int readers;
    private int largestRead;

    GrowingSource(byte[] bytes) {
        this.bytes = bytes;
    }

    synchronized void grow(long to) {
        available = Math.max(available, Math.min(to, bytes.length));
        notifyAll();
    }

    synchronized void fail(IOException reason) {
        failure = reason;
        notifyAll();
    }

    /** The most bytes one read asked for: what a reader's buffer holds at most. */
    synchronized int largestRead() {
        return largestRead;
    }

    /** Readers opened so far (a retry opens its chunk again). */
    synchronized int readers() {
        return readers;
    }

    @Override
    public synchronized void awaitLength(long length) throws IOException {
        waitFor(length);
    }

    private synchronized void waitFor(long length) throws IOException {
        try {
            while (available < length && failure == null && !(available == bytes.length)) {
                wait();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the source");
        }
        if (available >= length) {
            return;
        }
        if (failure != null) {
            throw failure;
        }
        throw new EOFException("the source ended at " + available);
    }

    @Override
    public InputStream open(long offset, long length) {
        synchronized (this) {
            readers++;
        }
        return new InputStream() {
            private long position = offset;
            private final long end = offset + length;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] into, int at, int max) throws IOException {
                if (position >= end) {
                    return -1;
                }
                waitFor(position + 1);
                int n;
                synchronized (GrowingSource.this) {
                    largestRead = Math.max(largestRead, max);
                    n = (int) Math.min(max, Math.min(end, available) - position);
                }
                System.arraycopy(bytes, (int) position, into, at, n);
                position += n;
                return n;
            }
        };
    }
}
