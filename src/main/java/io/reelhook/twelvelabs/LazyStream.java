package io.reelhook.twelvelabs;

import java.io.IOException;
import java.io.InputStream;

/** An input stream opened at its first read: a part of a request body that may not exist yet when sending starts. */
final class LazyStream extends InputStream {

    interface Opener {
        InputStream open() throws IOException;
    }

    private final Opener opener;
    private InputStream in;

    LazyStream(Opener opener) {
        this.opener = opener;
    }

    private InputStream in() throws IOException {
        if (in == null) {
            in = opener.open();
        }
        return in;
    }

    @Override
    public int read() throws IOException {
        return in().read();
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        return in().read(bytes, offset, length);
    }

    @Override
    public void close() throws IOException {
        if (in != null) {
            in.close();
        }
    }
}
