package io.remit.fx.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.time.Instant;

/**
 * A priced conversion, valid until {@code expiresAt}.
 *
 * @param id           the quote's id; any fx instance can read it back
 * @param rate         target units per source unit, as a decimal string (e.g. {@code "0.785300"}), never a float
 * @param source       the amount converted, in the source currency
 * @param target       what the receiver gets, in the target currency
 * @param fee          fx's fee, in the source currency
 * @param total        what the payer pays: {@code source + fee}, in the source currency
 * @param createdAt    when it was priced
 * @param expiresAt    after this instant it cannot be used
 * @param expired      whether it had expired when this answer was made
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Quote(String id, String rate, Money source, Money target, Money fee, Money total,
                    Instant createdAt, Instant expiresAt, boolean expired) {
}
