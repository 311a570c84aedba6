package io.reelhook.twelvelabs;

import java.io.IOException;
import java.io.InputStream;

/** The video file of a {@code POST /tasks}, readable once per attempt. */
public interface Video {

    String filename();

    /** Its bytes from the start; a video still arriving blocks the reader until more is there. */
    InputStream open() throws IOException;
}
