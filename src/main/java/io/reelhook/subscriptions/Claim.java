package io.reelhook.subscriptions;

import java.util.List;
import java.util.UUID;

/** A delivery this instance holds the subscription's lease for, with what sending it needs. */
record Claim(
        long deliveryId,
        UUID subscriptionId,
        UUID token,
        long sequence,
        int attempts,
        String url,
        List<String> secrets) {}
