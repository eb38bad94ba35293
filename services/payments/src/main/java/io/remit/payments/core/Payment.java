package io.remit.payments.core;

import io.remit.fx.api.Money;
import java.time.Instant;
import java.util.UUID;

/**
 * A stored payment. Amounts are integer minor units with their ISO 4217 currency; the rate is
 * fx's decimal string, kept exactly.
 *
 * @param target    what the school receives, in the school's currency (the amount asked for)
 * @param source    what is converted, in the payer's funding currency
 * @param fee       fx's fee, in the funding currency
 * @param total     what the payer pays: {@code source + fee}
 * @param rate      target units per source unit, e.g. {@code "0.785300"}
 * @param version   1 when created, one more with each event
 */
public record Payment(UUID id, String payerId, String schoolId, String reference, String paymentMethod,
                      PaymentState state, String quoteId, String rate, Money source, Money fee, Money total,
                      Money target, int version, Instant createdAt, Instant updatedAt) {
}
