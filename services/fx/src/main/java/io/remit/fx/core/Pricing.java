package io.remit.fx.core;

/** Everything a quote is priced from, as of one moment: the rates and the fee and validity settings. */
public record Pricing(RateTable rates, PricingSettings settings) {
}
