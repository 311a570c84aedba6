package io.reelhook.outbox;

import io.smallrye.config.ConfigMapping;

/**
 * The Kafka topics events go to ({@code reelhook.topics.*}). Their defaults stay in application.properties, where the
 * Kafka channels name the same topics.
 */
@ConfigMapping(prefix = "reelhook.topics")
public interface TopicsConfig {

    /** Every task event, keyed by task id. */
    String taskEvents();

    /** Only the events of tasks that finished indexing (ready or failed). */
    String indexingCompleted();
}
