package io.reelhook.startup;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

/**
 * The packaging's training run (see the {@code app-cds} profile in pom.xml and docs/operations.md): started with
 * {@code -Dreelhook.training-run=true} under {@code -XX:ArchiveClassesAtExit}, the application stops as soon as it
 * has started, and the JVM writes the classes that start loaded into an AppCDS archive for every later start.
 */
@ApplicationScoped
public class TrainingRun {

    static final String PROPERTY = "reelhook.training-run";
    private static final Logger LOG = Logger.getLogger(TrainingRun.class);

    void stopWhenStarted(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER + 1000) StartupEvent start) {
        if (Boolean.getBoolean(PROPERTY)) {
            LOG.info("training run: started, stopping so that the JVM writes its class archive");
            Quarkus.asyncExit(0);
        }
    }
}
