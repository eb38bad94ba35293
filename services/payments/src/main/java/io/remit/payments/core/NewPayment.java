package io.remit.payments.core;

import io.remit.fx.api.Money;

/**
 * A validated request to create a payment (see {@link PaymentRequestValidator}).
 *
 * @param amount         what the school receives, in the school's currency
 * @param sourceCurrency the payer's funding currency
 * @param quoteId        an fx quote to use, or null to ask fx for a new one
 */
public record NewPayment(String payerId, String schoolId, Money amount, String sourceCurrency, String paymentMethod,
                         String reference, String quoteId) {
}
