package io.remit.payments.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.remit.fx.api.Money;

/**
 * The body of {@code POST /payments}, for clients (the service itself checks the raw JSON, see
 * {@code PaymentRequestValidator}).
 *
 * @param payerId        who pays
 * @param schoolId       the school paid, as schools knows it
 * @param amount         what the school receives, in the school's currency, in minor units
 * @param sourceCurrency the payer's funding currency (ISO 4217)
 * @param paymentMethod  how the school is paid; the school must accept it, e.g. {@code BANK_TRANSFER}
 * @param reference      what the school matches the payment by, e.g. a student number
 * @param quoteId        optional: an fx quote id to use (must exist, be unexpired and match; at most 512 characters); null to get a new one
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PaymentRequest(String payerId, String schoolId, Money amount, String sourceCurrency,
                             String paymentMethod, String reference, String quoteId) {
}
