package io.reelhook.resumable;

import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.nio.file.Path;

/**
 * Until the asset pipeline takes completed uploads ({@link CompletedUploads}), a completed upload stays
 * {@code complete} with its file in place: nothing pretends that an asset was made.
 */
@DefaultBean
@ApplicationScoped
public class LoggingCompletedUploads implements CompletedUploads {

    private static final Logger LOG = Logger.getLogger(LoggingCompletedUploads.class);

    @Override
    public void completed(ResumableUpload upload, Path file) {
        LOG.infof(
                "resumable upload %s is complete (%d bytes in %s); no asset pipeline takes it yet",
                upload.id(), upload.size(), file);
    }
}
