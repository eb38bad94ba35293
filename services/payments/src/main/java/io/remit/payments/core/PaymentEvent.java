package io.remit.payments.core;

import java.time.Instant;

/**
 * One step in a payment's history. The first is {@code created} with no {@code from}.
 *
 * @param sequence 1 for the first event, then 2, 3...; the payment's version after it
 * @param reason   free text given with the event, or null
 */
public record PaymentEvent(int sequence, EventType type, PaymentState from, PaymentState to, Instant at, String reason) {
}
