package io.remit.fx.core;

import io.remit.fx.api.Money;
import io.remit.fx.api.Quote;
import java.time.Instant;

/**
 * What a quote says, everything its id carries: the amounts, the rate they were computed with
 * and its validity. Instants have millisecond precision (as in the id).
 *
 * @param source    the amount converted, source currency
 * @param target    what the receiver gets, target currency
 * @param fee       fx's fee, source currency
 * @param rate      target units per source unit (major units), plain decimal text
 * @param createdAt when it was priced
 * @param expiresAt the first instant at which it is no longer usable
 */
public record QuoteTerms(Money source, Money target, Money fee, String rate, Instant createdAt, Instant expiresAt) {

    /** What the payer pays: source plus fee, in the source currency. */
    public Money total() {
        return Money.of(Math.addExact(source.amount(), fee.amount()), source.currency());
    }

    /** Expired from {@code expiresAt} on: a quote is usable strictly before it. */
    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(expiresAt);
    }

    public Quote toQuote(String id, Instant now) {
        return new Quote(id, rate, source, target, fee, total(), createdAt, expiresAt, isExpiredAt(now));
    }
}
