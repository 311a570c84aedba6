package io.reelhook.subscriptions;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.PositiveOrZero;

/** Deliver again the events of a sequence range (both bounds inclusive), or only the deliveries that failed. */
public record ReplayRequest(
        @JsonProperty("from_sequence") @PositiveOrZero Long fromSequence,
        @JsonProperty("to_sequence") @PositiveOrZero Long toSequence,
        @JsonProperty("failed_only") Boolean failedOnly) {}
