package io.remit.payments.core;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * What can happen to a payment, by the name it has in the API ({@code POST /payments/{id}/events
 * {"type": "funds_received"}}). {@link #CREATED} is recorded when the payment is made and cannot be
 * posted.
 */
public enum EventType {
    CREATED("created"),
    FUNDS_REQUESTED("funds_requested"),
    FUNDS_RECEIVED("funds_received"),
    DELIVERED("delivered"),
    CANCELLED("cancelled"),
    FAILED("failed");

    private final String wireName;

    EventType(String wireName) {
        this.wireName = wireName;
    }

    /** The name in JSON, e.g. {@code funds_received}. */
    public String wireName() {
        return wireName;
    }

    /** The event of this API name (any case); empty for an unknown name. */
    public static Optional<EventType> fromWire(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String n = name.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(e -> e.wireName.equals(n)).findFirst();
    }
}
