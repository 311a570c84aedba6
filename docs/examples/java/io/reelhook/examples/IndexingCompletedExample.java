package io.reelhook.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * An example subscriber to copy: logs each task that finished indexing, once. Kafka delivers at least once, so it
 * dedupes on event_id (here in memory, for the last 10,000 events; a real service keeps them with its own data).
 * Its channel's settings are the {@code mp.messaging.incoming.indexing-completed-example.*} lines in
 * docs/subscribing.md; Reelhook's test suite runs it against the real outbox.
 */
@ApplicationScoped
public class IndexingCompletedExample {

    private static final Logger LOG = Logger.getLogger(IndexingCompletedExample.class);
    private static final int REMEMBERED = 10_000;

    @Inject
    ObjectMapper json;

    private final Set<String> seen = Collections.newSetFromMap(Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    }));

    @Incoming("indexing-completed-example")
    public void onCompleted(String value) throws IOException {
        JsonNode event = json.readTree(value);
        if (!seen.add(event.path("event_id").asText())) {
            return;
        }
        if (event.hasNonNull("task_id")) {
            LOG.infof(
                    "task %s of index %s finished: %s (video %s)",
                    event.path("task_id").asText(),
                    event.path("index_id").asText(),
                    event.path("status").asText(),
                    event.path("video_id").asText());
        } else {
            // Twelve Labs' current API: an asset indexed into an index (docs/assets.md)
            LOG.infof(
                    "indexed asset %s (asset %s) of index %s finished: %s",
                    event.path("indexed_asset_id").asText(),
                    event.path("asset_id").asText(),
                    event.path("index_id").asText(),
                    event.path("status").asText());
        }
    }

    /** Whether the event was handled; for tests. */
    public boolean handled(String eventId) {
        return seen.contains(eventId);
    }
}
