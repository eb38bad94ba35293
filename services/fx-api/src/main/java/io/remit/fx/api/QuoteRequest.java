package io.remit.fx.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Asks for a quote to convert {@code sourceCurrency} (what the payer funds with) into
 * {@code targetCurrency} (what the school receives). Exactly one of {@code targetAmount} (the
 * school must receive this much; the usual case for tuition) and {@code sourceAmount} (convert
 * this much) is given, in minor units of its currency.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = false)
public record QuoteRequest(String sourceCurrency, String targetCurrency, Long sourceAmount, Long targetAmount) {

    /** A quote for the school to receive {@code target}, funded in {@code sourceCurrency}. */
    public static QuoteRequest toReceive(String sourceCurrency, Money target) {
        return new QuoteRequest(sourceCurrency, target.currency(), null, target.amount());
    }
}
