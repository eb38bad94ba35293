package io.remit.fx.api;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * An amount of money: an integer number of the currency's minor units (cents, pence; yen have
 * none) and an ISO 4217 code. Never a floating-point number. {@code {"amount": 1250000, "currency": "GBP"}}
 * is 12,500.00 GBP.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Money(long amount, String currency) {

    public static Money of(long amount, String currency) {
        return new Money(amount, currency);
    }
}
