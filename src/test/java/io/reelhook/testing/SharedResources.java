package io.reelhook.testing;

import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/** Declares the suite's backing services once, globally, so that every test class shares one Quarkus start. */
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = TwelveLabsResource.class, scope = TestResourceScope.GLOBAL)
public final class SharedResources {
    private SharedResources() {}
}
