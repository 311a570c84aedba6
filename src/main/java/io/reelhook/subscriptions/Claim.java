package io.reelhook.subscriptions;

import io.reelhook.task.EventMessage;

import java.util.List;
import java.util.UUID;

/** A delivery this instance holds the lease of ({@code token}), with what sending it needs. */
record Claim(
        long deliveryId,
        UUID subscriptionId,
        UUID token,
        int attempts,
        String url,
        List<String> secrets,
        EventMessage event) {}
